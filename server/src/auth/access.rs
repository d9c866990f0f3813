//! Who may do what: the one table every handler asks, through [`authorize`].
//!
//! A handler names what it is about to do as an [`Action`], with the resource's facts that
//! matter (its region, its owner), and calls `authorize(&principal, action)?` before touching
//! anything. New features add their actions here and a row per endpoint to the matrix test
//! (`server/tests/authorization.rs`), which fails for an endpoint it does not know.

use super::Principal;
use crate::error::ApiError;
use shared::{account::Role, Region};

/// Something a signed-in account asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read one's own account (`GET /auth/me`).
    ViewOwnAccount,
    /// Create an akimat officer or admin account.
    CreateStaff,
    /// List the staff accounts.
    ListStaff,
    /// Set a region's annual family quota.
    SetQuota { region: Region },
    /// Submit one's own application (resettlers).
    SubmitApplication,
    /// Read one's own applications (resettlers).
    ViewOwnApplications,
    /// Work the application queue at all (officers, admins); what they may see or decide is
    /// narrowed by [`Action::ListApplications`] and [`Action::DecideApplication`].
    ReviewApplications,
    /// List the applications to a region (`None`: every region).
    ListApplications { region: Option<Region> },
    /// Approve or reject an application to `region`.
    DecideApplication { region: Region },
    /// Post a vacancy (employers).
    PostVacancy,
    /// List one's own vacancies, open and closed (employers).
    ViewOwnVacancies,
    /// Edit or close a vacancy posted by the account `owner`.
    ManageVacancy { owner: i64 },
    /// See who applied to a vacancy posted by the account `owner`.
    ViewVacancyApplicants { owner: i64 },
    /// Fund a region's voucher budget from the program account.
    FundBudget { region: Region },
    /// See a region's voucher budget.
    ViewBudget { region: Region },
    /// See one's own vouchers (resettlers).
    ViewOwnWallet,
    /// List payees: of one region (`None`: every region), in every status or active only.
    ListPayees {
        region: Option<Region>,
        any_status: bool,
    },
    /// Verify or deactivate a payee of `region`.
    ManagePayee { region: Region },
    /// Pay a payee from one's own vouchers (resettlers).
    PayFromWallet,
    /// Register one's own contract signing key and see one's keys (the parties: resettlers,
    /// employers, officers).
    HoldSigningKey,
    /// See and revoke other accounts' signing keys (officers, admins); which accounts an
    /// officer reaches is narrowed by `crate::signing_keys`.
    ManageSigningKeys,
    /// Work on contracts' terms at all (officers); narrowed by [`Action::DraftContract`].
    DraftContracts,
    /// Create a contract in `region`, or change its terms before it is signed.
    DraftContract { region: Region },
    /// List the contracts one is a party to, or one's region's (admins: all).
    ListContracts,
    /// See the contract between `resettler` and `employer` in `region`. Refused means the
    /// contract does not exist for this account (404).
    ViewContract {
        resettler: i64,
        employer: i64,
        region: Region,
    },
    /// Sign a contract as one of its parties; which party follows from the account.
    SignContracts,
    /// Upload a file of monthly confirmations in the app (the data feed; other systems use
    /// a service token).
    ImportFeed,
}

/// Whether `principal` may do `action`. Anything not listed is refused.
pub fn permits(principal: &Principal, action: Action) -> bool {
    use Action::*;
    match (principal.role, action) {
        (_, ViewOwnAccount) => true,
        (Role::Admin, CreateStaff | ListStaff | SetQuota { .. }) => true,
        // An officer acts for their own region only.
        (Role::Akimat, SetQuota { region }) => principal.region == Some(region),
        (Role::Resettler | Role::Employer | Role::Akimat, CreateStaff | ListStaff) => false,
        (Role::Resettler | Role::Employer, SetQuota { .. }) => false,
        // Applications: a resettler their own, an officer their region, an admin all.
        (Role::Resettler, SubmitApplication | ViewOwnApplications) => true,
        (_, SubmitApplication | ViewOwnApplications) => false,
        (Role::Akimat | Role::Admin, ReviewApplications) => true,
        (Role::Resettler | Role::Employer, ReviewApplications) => false,
        (Role::Admin, ListApplications { .. } | DecideApplication { .. }) => true,
        (Role::Akimat, ListApplications { region }) => {
            region.is_some() && principal.region == region
        }
        (Role::Akimat, DecideApplication { region }) => principal.region == Some(region),
        (Role::Resettler | Role::Employer, ListApplications { .. } | DecideApplication { .. }) => {
            false
        }
        // Vacancies: an employer its own; an admin may see any vacancy's applicants.
        (Role::Employer, PostVacancy | ViewOwnVacancies) => true,
        (_, PostVacancy | ViewOwnVacancies) => false,
        (Role::Employer, ManageVacancy { owner } | ViewVacancyApplicants { owner }) => {
            principal.user_id == owner
        }
        (Role::Admin, ViewVacancyApplicants { .. }) => true,
        (_, ManageVacancy { .. } | ViewVacancyApplicants { .. }) => false,
        // Budgets: the admin funds and sees all; an officer sees their region's.
        (Role::Admin, FundBudget { .. } | ViewBudget { .. }) => true,
        (Role::Akimat, ViewBudget { region }) => principal.region == Some(region),
        (_, FundBudget { .. } | ViewBudget { .. }) => false,
        (Role::Resettler, ViewOwnWallet) => true,
        (_, ViewOwnWallet) => false,
        // Payees: resettlers see the active ones of every region (to be told before paying
        // that one is outside theirs); an officer their region's in every status; an admin
        // all.
        (Role::Resettler, ListPayees { any_status, .. }) => !any_status,
        (Role::Akimat, ListPayees { region, .. }) => region.is_some() && principal.region == region,
        (Role::Admin, ListPayees { .. } | ManagePayee { .. }) => true,
        (Role::Employer, ListPayees { .. }) => false,
        (Role::Akimat, ManagePayee { region }) => principal.region == Some(region),
        (Role::Resettler | Role::Employer, ManagePayee { .. }) => false,
        (Role::Resettler, PayFromWallet) => true,
        (_, PayFromWallet) => false,
        // Contracts: the three parties sign with their own keys; the region's officer drafts
        // and revokes lost keys; an admin sees everything and signs nothing.
        (Role::Resettler | Role::Employer | Role::Akimat, HoldSigningKey | SignContracts) => true,
        (Role::Admin, HoldSigningKey | SignContracts) => false,
        (Role::Akimat | Role::Admin, ManageSigningKeys) => true,
        (Role::Resettler | Role::Employer, ManageSigningKeys) => false,
        (Role::Akimat, DraftContracts) => true,
        (Role::Akimat, DraftContract { region }) => principal.region == Some(region),
        (_, DraftContracts | DraftContract { .. }) => false,
        (_, ListContracts) => true,
        (Role::Resettler, ViewContract { resettler, .. }) => principal.user_id == resettler,
        (Role::Employer, ViewContract { employer, .. }) => principal.user_id == employer,
        (Role::Akimat, ViewContract { region, .. }) => principal.region == Some(region),
        (Role::Admin, ViewContract { .. }) => true,
        (Role::Admin, ImportFeed) => true,
        (_, ImportFeed) => false,
    }
}

/// `Ok` when permitted, else the 403 answer.
pub fn authorize(principal: &Principal, action: Action) -> Result<(), ApiError> {
    if permits(principal, action) {
        Ok(())
    } else {
        tracing::info!(
            user = principal.user_id,
            role = %principal.role,
            action = ?action,
            "request refused: not permitted"
        );
        Err(crate::fail::forbidden())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, region: Option<Region>) -> Principal {
        Principal {
            user_id: 1,
            role,
            region,
        }
    }

    #[test]
    fn the_table() {
        let resettler = who(Role::Resettler, None);
        let employer = who(Role::Employer, None);
        let officer = who(Role::Akimat, Some(Region::NorthKazakhstan));
        let admin = who(Role::Admin, None);
        let own = Action::SetQuota {
            region: Region::NorthKazakhstan,
        };
        let other = Action::SetQuota {
            region: Region::Pavlodar,
        };
        // (principal, action, allowed)
        let rows = [
            (&resettler, Action::ViewOwnAccount, true),
            (&employer, Action::ViewOwnAccount, true),
            (&officer, Action::ViewOwnAccount, true),
            (&admin, Action::ViewOwnAccount, true),
            (&resettler, Action::CreateStaff, false),
            (&employer, Action::CreateStaff, false),
            (&officer, Action::CreateStaff, false),
            (&admin, Action::CreateStaff, true),
            (&officer, Action::ListStaff, false),
            (&admin, Action::ListStaff, true),
            (&resettler, own, false),
            (&employer, own, false),
            (&officer, own, true),
            (&officer, other, false),
            (&admin, own, true),
            (&admin, other, true),
        ];
        for (principal, action, allowed) in rows {
            assert_eq!(
                permits(principal, action),
                allowed,
                "{principal:?} {action:?}"
            );
        }
        let north = Some(Region::NorthKazakhstan);
        let own_employer = Principal {
            user_id: 7,
            ..employer
        };
        let more = [
            (&resettler, Action::SubmitApplication, true),
            (&employer, Action::SubmitApplication, false),
            (&officer, Action::SubmitApplication, false),
            (&admin, Action::ViewOwnApplications, false),
            (&resettler, Action::ReviewApplications, false),
            (&officer, Action::ReviewApplications, true),
            (&admin, Action::ReviewApplications, true),
            (&officer, Action::ListApplications { region: north }, true),
            (&officer, Action::ListApplications { region: None }, false),
            (
                &officer,
                Action::ListApplications {
                    region: Some(Region::Pavlodar),
                },
                false,
            ),
            (&admin, Action::ListApplications { region: None }, true),
            (
                &resettler,
                Action::ListApplications { region: north },
                false,
            ),
            (
                &officer,
                Action::DecideApplication {
                    region: Region::NorthKazakhstan,
                },
                true,
            ),
            (
                &officer,
                Action::DecideApplication {
                    region: Region::Pavlodar,
                },
                false,
            ),
            (
                &admin,
                Action::DecideApplication {
                    region: Region::Pavlodar,
                },
                true,
            ),
            (&employer, Action::PostVacancy, true),
            (&admin, Action::PostVacancy, false),
            (&employer, Action::ViewOwnVacancies, true),
            (&resettler, Action::ViewOwnVacancies, false),
            (&officer, Action::ViewOwnVacancies, false),
            (&admin, Action::ViewOwnVacancies, false),
            (&own_employer, Action::ManageVacancy { owner: 7 }, true),
            (&employer, Action::ManageVacancy { owner: 7 }, false),
            (&admin, Action::ManageVacancy { owner: 7 }, false),
            (
                &own_employer,
                Action::ViewVacancyApplicants { owner: 7 },
                true,
            ),
            (&employer, Action::ViewVacancyApplicants { owner: 7 }, false),
            (&officer, Action::ViewVacancyApplicants { owner: 7 }, false),
            (&admin, Action::ViewVacancyApplicants { owner: 7 }, true),
        ];
        for (principal, action, allowed) in more {
            assert_eq!(
                permits(principal, action),
                allowed,
                "{principal:?} {action:?}"
            );
        }
        let payees = |region, any_status| Action::ListPayees { region, any_status };
        let manage = |region| Action::ManagePayee { region };
        let wallet = [
            (&resettler, payees(None, false), true),
            (&resettler, payees(north, false), true),
            (&resettler, payees(north, true), false),
            (&employer, payees(None, false), false),
            (&officer, payees(north, true), true),
            (&officer, payees(Some(Region::Pavlodar), false), false),
            (&officer, payees(None, true), false),
            (&admin, payees(None, true), true),
            (&officer, manage(Region::NorthKazakhstan), true),
            (&officer, manage(Region::Pavlodar), false),
            (&admin, manage(Region::Pavlodar), true),
            (&resettler, manage(Region::NorthKazakhstan), false),
            (&employer, manage(Region::NorthKazakhstan), false),
            (&resettler, Action::PayFromWallet, true),
            (&employer, Action::PayFromWallet, false),
            (&officer, Action::PayFromWallet, false),
            (&admin, Action::PayFromWallet, false),
        ];
        for (principal, action, allowed) in wallet {
            assert_eq!(
                permits(principal, action),
                allowed,
                "{principal:?} {action:?}"
            );
        }
        // An officer record without a region (never stored so) may set no quota.
        assert!(!permits(&who(Role::Akimat, None), own));
    }

    #[test]
    fn contracts_and_signing_keys() {
        let north = Region::NorthKazakhstan;
        let resettler = who(Role::Resettler, None);
        let employer = who(Role::Employer, None);
        let officer = who(Role::Akimat, Some(north));
        let admin = who(Role::Admin, None);
        let draft = |region| Action::DraftContract { region };
        let rows = [
            (&resettler, Action::HoldSigningKey, true),
            (&officer, Action::HoldSigningKey, true),
            (&admin, Action::HoldSigningKey, false),
            (&employer, Action::SignContracts, true),
            (&admin, Action::SignContracts, false),
            (&officer, Action::ManageSigningKeys, true),
            (&admin, Action::ManageSigningKeys, true),
            (&employer, Action::ManageSigningKeys, false),
            (&officer, Action::DraftContracts, true),
            (&admin, Action::DraftContracts, false),
            (&officer, draft(north), true),
            (&officer, draft(Region::Pavlodar), false),
            (&admin, draft(north), false),
            (&resettler, draft(north), false),
            (&resettler, Action::ListContracts, true),
            (&admin, Action::ImportFeed, true),
            (&officer, Action::ImportFeed, false),
            (&employer, Action::ImportFeed, false),
        ];
        let view = |resettler, employer, region| Action::ViewContract {
            resettler,
            employer,
            region,
        };
        let views = [
            (&resettler, view(1, 2, north), true),
            (&resettler, view(3, 2, north), false),
            (&employer, view(3, 1, north), true),
            (&employer, view(1, 3, north), false),
            (&officer, view(3, 4, north), true),
            (&officer, view(3, 4, Region::Pavlodar), false),
            (&admin, view(3, 4, Region::Pavlodar), true),
        ];
        for (principal, action, allowed) in rows.into_iter().chain(views) {
            assert_eq!(
                permits(principal, action),
                allowed,
                "{principal:?} {action:?}"
            );
        }
    }

    #[test]
    fn budgets_and_wallets() {
        let north = Region::NorthKazakhstan;
        let pavlodar = Region::Pavlodar;
        let resettler = who(Role::Resettler, None);
        let employer = who(Role::Employer, None);
        let officer = who(Role::Akimat, Some(north));
        let admin = who(Role::Admin, None);
        let rows = [
            (&admin, Action::FundBudget { region: north }, true),
            (&officer, Action::FundBudget { region: north }, false),
            (&resettler, Action::FundBudget { region: north }, false),
            (&admin, Action::ViewBudget { region: pavlodar }, true),
            (&officer, Action::ViewBudget { region: north }, true),
            (&officer, Action::ViewBudget { region: pavlodar }, false),
            (&employer, Action::ViewBudget { region: north }, false),
            (&resettler, Action::ViewOwnWallet, true),
            (&employer, Action::ViewOwnWallet, false),
            (&officer, Action::ViewOwnWallet, false),
            (&admin, Action::ViewOwnWallet, false),
        ];
        for (principal, action, allowed) in rows {
            assert_eq!(
                permits(principal, action),
                allowed,
                "{principal:?} {action:?}"
            );
        }
    }
}
