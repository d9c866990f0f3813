//! What the payers were told about each payment id, and what follows from it: which ids
//! were paid (once), which were refused, which are still unknown, and which answers
//! contradict each other or the wallets.

use shared::wallet::PayRequest;
use std::collections::BTreeMap;

/// One answer to a payment request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// 201: paid now.
    Created,
    /// 200: paid before under this id; nothing moved now.
    Replayed,
    /// 4xx with its error code: refused, nothing moved.
    Refused(String),
    /// 5xx: the server failed; whether it paid is unknown.
    ServerError(u16),
    /// No HTTP answer (refused, reset or timed-out connection): whether it paid is unknown.
    Unanswered,
}

impl Answer {
    /// Whether it says what happened to the payment.
    fn is_definitive(&self) -> bool {
        matches!(
            self,
            Answer::Created | Answer::Replayed | Answer::Refused(_)
        )
    }
}

/// Every payment id sent, with its request and its answers in the order they came.
#[derive(Debug, Default)]
pub struct Book {
    ids: BTreeMap<u128, Entry>,
}

#[derive(Debug)]
struct Entry {
    payer: usize,
    request: PayRequest,
    answers: Vec<Answer>,
}

/// A payer's payments: how many and how much, in tiyn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paid {
    pub count: u64,
    pub tiyn: i64,
}

/// What the answers add up to.
#[derive(Debug, Default)]
pub struct Settlement {
    /// The paid ids of each payer, each counted once.
    pub paid: BTreeMap<usize, Paid>,
    /// Ids refused, by error code.
    pub refused: BTreeMap<String, u64>,
    /// Ids whose first answer was not definitive and that a later one settled.
    pub resolved: u64,
    /// Of those, the ones found paid: the server paid, then its answer was lost.
    pub paid_unanswered: u64,
    /// Answers with a 5xx status.
    pub server_errors: u64,
    /// Contradictions: an id paid twice, answers that changed, ids never settled.
    pub problems: Vec<String>,
}

impl Book {
    /// Notes `answer` to `request`, sent by `payer`.
    pub fn record(&mut self, payer: usize, request: &PayRequest, answer: Answer) {
        self.ids
            .entry(request.id.value())
            .or_insert_with(|| Entry {
                payer,
                request: request.clone(),
                answers: Vec::new(),
            })
            .answers
            .push(answer);
    }

    /// The requests no answer has settled yet, with their payer: to be sent again.
    pub fn unsettled(&self) -> Vec<(usize, PayRequest)> {
        self.ids
            .values()
            .filter(|e| !e.answers.iter().any(Answer::is_definitive))
            .map(|e| (e.payer, e.request.clone()))
            .collect()
    }

    pub fn settle(&self) -> Settlement {
        let mut out = Settlement::default();
        for (id, entry) in &self.ids {
            let answers = &entry.answers;
            out.server_errors += answers
                .iter()
                .filter(|a| matches!(a, Answer::ServerError(_)))
                .count() as u64;
            let mut definitive = answers.iter().filter(|a| a.is_definitive());
            let Some(first) = definitive.next() else {
                out.problems
                    .push(format!("id {id:032x}: never answered ({answers:?})"));
                continue;
            };
            if !answers[0].is_definitive() {
                out.resolved += 1;
                out.paid_unanswered += u64::from(*first == Answer::Replayed);
            }
            let created = answers.iter().filter(|a| **a == Answer::Created).count();
            if created > 1 {
                out.problems
                    .push(format!("id {id:032x}: paid {created} times ({answers:?})"));
            }
            let paid = |a: &Answer| matches!(a, Answer::Created | Answer::Replayed);
            if definitive.any(|a| paid(a) != paid(first) || (!paid(a) && a != first)) {
                out.problems
                    .push(format!("id {id:032x}: the answer changed ({answers:?})"));
                continue;
            }
            // Ids are fresh: the first request under one cannot have been paid before.
            if answers[0] == Answer::Replayed {
                out.problems.push(format!(
                    "id {id:032x}: \"paid before\" for an id never sent before ({answers:?})"
                ));
            }
            match first {
                Answer::Refused(code) => *out.refused.entry(code.clone()).or_default() += 1,
                _ => {
                    let tiyn = entry.request.amount.to_tiyn().unwrap_or_default();
                    let payer = out.paid.entry(entry.payer).or_default();
                    payer.count += 1;
                    payer.tiyn += tiyn;
                }
            }
        }
        out
    }
}

impl Settlement {
    /// What is wrong if `payer`'s wallet shows `wallet` in payments: a payment more than
    /// the ids paid is an id paid twice (or one reported refused), one less is a payment
    /// acknowledged and lost.
    pub fn reconcile(&self, payer: usize, wallet: Paid) -> Option<String> {
        let expected = self.paid.get(&payer).copied().unwrap_or_default();
        (wallet != expected).then(|| {
            format!(
                "payer {payer}: the wallet shows {} payments of {} tiyn in all, the answers {} of {} tiyn",
                wallet.count, wallet.tiyn, expected.count, expected.tiyn
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{ledger::TransferId, wallet::PayeeCategory, Tenge};

    fn request(id: u128, tiyn: i64) -> PayRequest {
        PayRequest {
            id: TransferId::new(id).unwrap(),
            payee_id: 1,
            category: PayeeCategory::Rent,
            amount: Tenge::from_tiyn(tiyn),
        }
    }

    fn refused(code: &str) -> Answer {
        Answer::Refused(code.into())
    }

    #[test]
    fn each_paid_id_counts_once_however_often_it_was_answered() {
        let mut book = Book::default();
        book.record(0, &request(1, 100), Answer::Created);
        book.record(0, &request(1, 100), Answer::Replayed);
        book.record(0, &request(2, 250), Answer::Unanswered);
        book.record(0, &request(2, 250), Answer::Replayed);
        book.record(1, &request(3, 40), Answer::Unanswered);
        book.record(1, &request(3, 40), Answer::Created);
        book.record(1, &request(4, 70), refused("insufficient_balance"));
        book.record(1, &request(4, 70), refused("insufficient_balance"));
        let settled = book.settle();
        assert!(settled.problems.is_empty(), "{:?}", settled.problems);
        assert_eq!(
            settled.paid[&0],
            Paid {
                count: 2,
                tiyn: 350
            }
        );
        assert_eq!(settled.paid[&1], Paid { count: 1, tiyn: 40 });
        assert_eq!(settled.refused["insufficient_balance"], 1);
        assert_eq!(settled.resolved, 2);
        assert_eq!(settled.paid_unanswered, 1);
        assert_eq!(
            settled.reconcile(
                0,
                Paid {
                    count: 2,
                    tiyn: 350
                }
            ),
            None
        );
    }

    #[test]
    fn an_id_paid_twice_is_a_problem() {
        let mut book = Book::default();
        book.record(0, &request(1, 100), Answer::Created);
        book.record(0, &request(1, 100), Answer::Created);
        let problems = book.settle().problems;
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("paid 2 times"), "{problems:?}");
    }

    #[test]
    fn an_answer_that_changes_is_a_problem() {
        for answers in [
            [Answer::Created, refused("insufficient_balance")],
            [refused("insufficient_balance"), Answer::Replayed],
            [refused("insufficient_balance"), refused("voucher_expired")],
        ] {
            let mut book = Book::default();
            for answer in answers.clone() {
                book.record(0, &request(1, 100), answer);
            }
            let settled = book.settle();
            assert!(
                settled.problems[0].contains("the answer changed"),
                "{answers:?}: {:?}",
                settled.problems
            );
            assert!(settled.paid.is_empty());
        }
    }

    #[test]
    fn a_replay_of_an_id_never_sent_is_a_problem() {
        let mut book = Book::default();
        book.record(0, &request(1, 100), Answer::Replayed);
        let problems = book.settle().problems;
        assert!(problems[0].contains("never sent before"), "{problems:?}");
    }

    #[test]
    fn unknown_ids_are_sent_again_until_settled() {
        let mut book = Book::default();
        book.record(0, &request(1, 100), Answer::Created);
        book.record(2, &request(2, 100), Answer::Unanswered);
        book.record(2, &request(2, 100), Answer::ServerError(503));
        let unsettled = book.unsettled();
        assert_eq!(unsettled, vec![(2, request(2, 100))]);
        let settled = book.settle();
        assert_eq!(settled.server_errors, 1);
        assert!(settled.problems[0].contains("never answered"));
        book.record(2, &request(2, 100), refused("insufficient_balance"));
        assert!(book.unsettled().is_empty());
        assert!(book.settle().problems.is_empty());
    }

    #[test]
    fn a_wallet_that_differs_from_the_answers_is_named() {
        let mut book = Book::default();
        book.record(3, &request(1, 100), Answer::Created);
        let settled = book.settle();
        let twice = settled
            .reconcile(
                3,
                Paid {
                    count: 2,
                    tiyn: 200,
                },
            )
            .unwrap();
        assert!(twice.contains("payer 3") && twice.contains("2 payments"));
        assert!(settled.reconcile(3, Paid { count: 0, tiyn: 0 }).is_some());
        assert!(settled.reconcile(4, Paid { count: 1, tiyn: 5 }).is_some());
        assert_eq!(settled.reconcile(4, Paid::default()), None);
    }
}
