//! The words of eligibility answers, in Kazakh, Russian and English.

use super::{Caution, EntitlementAmounts, Reason};
use crate::{
    api::{Citizenship, EntitlementBasis, Entitlements, Settlement},
    date,
    iin::IdError,
    money::Tenge,
    policy::Policy,
    Lang,
};

fn pick(lang: Lang, kk: String, ru: String, en: String) -> String {
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

fn iin_error(e: IdError, lang: Lang) -> &'static str {
    match (e, lang) {
        (IdError::Length, Lang::Kk) => "ЖСН дәл 12 цифрдан тұруы керек",
        (IdError::Length, Lang::Ru) => "ИИН должен состоять ровно из 12 цифр",
        (IdError::Length, Lang::En) => "an IIN is exactly 12 digits",
        (IdError::NotDigits, Lang::Kk) => "ЖСН тек цифрлардан тұруы керек",
        (IdError::NotDigits, Lang::Ru) => "ИИН должен содержать только цифры",
        (IdError::NotDigits, Lang::En) => "an IIN contains digits only",
        (IdError::CenturyDigit | IdError::EntityType | IdError::Month, Lang::Kk) => {
            "7-ші цифр (ғасыр мен жыныс) 1-ден 6-ға дейін болуы керек"
        }
        (IdError::CenturyDigit | IdError::EntityType | IdError::Month, Lang::Ru) => {
            "7-я цифра (век и пол) должна быть от 1 до 6"
        }
        (IdError::CenturyDigit | IdError::EntityType | IdError::Month, Lang::En) => {
            "the 7th digit (century and sex) must be 1 to 6"
        }
        (IdError::CheckDigit, Lang::Kk) => "бақылау цифры сәйкес келмейді — нөмірді тексеріңіз",
        (IdError::CheckDigit, Lang::Ru) => "контрольная цифра не совпадает — проверьте номер",
        (IdError::CheckDigit, Lang::En) => {
            "the check digit does not match — please check the number"
        }
    }
}

fn citizenship(c: Citizenship, lang: Lang) -> &'static str {
    match (c, lang) {
        (Citizenship::Citizen, Lang::Kk) => "Қазақстан азаматы",
        (Citizenship::Citizen, Lang::Ru) => "гражданин Казахстана",
        (Citizenship::Citizen, Lang::En) => "a citizen of Kazakhstan",
        (Citizenship::Kandas, Lang::Kk) => "қандас",
        (Citizenship::Kandas, Lang::Ru) => "кандас",
        (Citizenship::Kandas, Lang::En) => "a kandas",
        (Citizenship::Foreign, Lang::Kk) => "шетел азаматы",
        (Citizenship::Foreign, Lang::Ru) => "иностранный гражданин",
        (Citizenship::Foreign, Lang::En) => "a foreign citizen",
    }
}

/// The reason a rule passed or failed.
pub(super) fn reason(reason: &Reason, policy: &Policy, lang: Lang) -> String {
    let name = |r| policy.region_name(r, lang).to_string();
    match reason {
        Reason::IinValid => pick(
            lang,
            "ЖСН дұрыс.".into(),
            "ИИН корректен.".into(),
            "The IIN is valid.".into(),
        ),
        Reason::IinInvalid(e) => pick(
            lang,
            format!("ЖСН жарамсыз: {}.", iin_error(*e, lang)),
            format!("ИИН некорректен: {}.", iin_error(*e, lang)),
            format!("The IIN is not valid: {}.", iin_error(*e, lang)),
        ),
        Reason::CitizenshipEligible(c) => pick(
            lang,
            format!(
                "Сіз — {}: бағдарламаға қатыса аласыз.",
                citizenship(*c, lang)
            ),
            format!(
                "Вы — {}: можете участвовать в программе.",
                citizenship(*c, lang)
            ),
            format!(
                "You are {}: you may take part in the program.",
                citizenship(*c, lang)
            ),
        ),
        Reason::CitizenshipNotEligible => pick(
            lang,
            "Бағдарлама тек Қазақстан азаматтары мен қандастарға арналған.".into(),
            "Программа только для граждан Казахстана и кандасов.".into(),
            "The program is only for citizens of Kazakhstan and kandases.".into(),
        ),
        Reason::AgeInRange { age } => pick(
            lang,
            format!("Жасыңыз {age}: еңбекке қабілетті жаста."),
            format!("Ваш возраст {age}: трудоспособный возраст."),
            format!("You are {age}: of working age."),
        ),
        Reason::TooYoung { age, min } => pick(
            lang,
            format!("Жасыңыз {age}: өтініш {min} жастан бастап беріледі."),
            format!("Ваш возраст {age}: подать заявление можно с {min} лет."),
            format!("You are {age}: you can apply from the age of {min}."),
        ),
        Reason::TooOld { age, max } => pick(
            lang,
            format!("Жасыңыз {age}: бағдарлама {max} жасқа (зейнет жасы) дейінгілерге арналған."),
            format!(
                "Ваш возраст {age}: программа для тех, кому меньше {max} (пенсионный возраст)."
            ),
            format!("You are {age}: the program is for people under {max} (pension age)."),
        ),
        Reason::BornAfterAsOf => pick(
            lang,
            "Туған күніңіз тексеру күнінен кейін тұр — күнді тексеріңіз.".into(),
            "Дата рождения позже даты проверки — проверьте дату.".into(),
            "The birth date is after the date of the check — please check it.".into(),
        ),
        Reason::LivesInOrigin(r) => pick(
            lang,
            format!(
                "{} — еңбек артық өңір, одан қоныс аударуға болады.",
                name(*r)
            ),
            format!(
                "Регион «{}» трудоизбыточный: из него можно переселиться.",
                name(*r)
            ),
            format!("{} is a labour-surplus region you can move from.", name(*r)),
        ),
        Reason::KandasAbroad => pick(
            lang,
            "Қандастар шетелден қоныс аудара алады.".into(),
            "Кандасы могут переселиться из-за рубежа.".into(),
            "Kandases may move from abroad.".into(),
        ),
        Reason::NotFromOrigin {
            region: crate::Region::Abroad,
            ..
        } => pick(
            lang,
            "Шетелден тек қандастар қоныс аудара алады.".into(),
            "Из-за рубежа могут переселиться только кандасы.".into(),
            "Only kandases may move from abroad.".into(),
        ),
        Reason::NotFromOrigin { region, .. } => pick(
            lang,
            format!("{} еңбек артық өңірлер тізбесіне кірмейді.", name(*region)),
            format!(
                "Регион «{}» не входит в перечень трудоизбыточных регионов.",
                name(*region)
            ),
            format!(
                "{} is not one of the labour-surplus regions of origin.",
                name(*region)
            ),
        ),
        Reason::DestinationOk(r) => pick(
            lang,
            format!("{} — қоныстандыру өңірі.", name(*r)),
            format!("Регион «{}» входит в перечень регионов расселения.", name(*r)),
            format!("{} is a resettlement region.", name(*r)),
        ),
        Reason::NotResettlementRegion(r) => pick(
            lang,
            format!("{} қоныстандыру өңірлерінің тізбесіне кірмейді.", name(*r)),
            format!("Регион «{}» не входит в перечень регионов расселения.", name(*r)),
            format!("{} is not a resettlement region.", name(*r)),
        ),
        Reason::SameAsCurrent(r) => pick(
            lang,
            format!("Сіз қазір осы өңірде тұрасыз ({}): басқа өңірді таңдаңыз.", name(*r)),
            format!(
                "Вы уже живёте в регионе «{}»: выберите другой регион.",
                name(*r)
            ),
            format!("You already live in {}: choose another region.", name(*r)),
        ),
        Reason::NoPriorSupport => pick(
            lang,
            "Бұрын қоныс аударуға қолдау алмағансыз.".into(),
            "Вы ранее не получали поддержку при переселении.".into(),
            "You have not received resettlement support before.".into(),
        ),
        Reason::PriorSupport => pick(
            lang,
            "Қоныс аударуға қолдау бір рет қана беріледі.".into(),
            "Поддержка при переселении предоставляется только один раз.".into(),
            "Resettlement support is granted only once.".into(),
        ),
        Reason::PlacesLeft {
            region,
            year,
            remaining,
        } => pick(
            lang,
            format!(
                "{}: {year} жылғы квотада {remaining} отбасыға орын бар.",
                name(*region)
            ),
            format!(
                "Регион «{}»: в квоте {year} года осталось мест для семей: {remaining}.",
                name(*region)
            ),
            format!(
                "{}: {remaining} family places left in the {year} quota.",
                name(*region)
            ),
        ),
        Reason::QuotaExhausted { region, year } => pick(
            lang,
            format!("{}: {year} жылғы квота толық пайдаланылды.", name(*region)),
            format!("Регион «{}»: квота {year} года исчерпана.", name(*region)),
            format!("{}: the {year} quota is used up.", name(*region)),
        ),
        Reason::QuotaUnknown { region, year } => pick(
            lang,
            format!("{year} жылғы квота туралы дерек жоқ, сондықтан {} бойынша бос орынды растау мүмкін емес.", name(*region)),
            format!("Нет данных о квоте на {year} год, поэтому наличие мест ({}) подтвердить нельзя.", name(*region)),
            format!("No quota data for {year} is available, so free places in {} cannot be confirmed.", name(*region)),
        ),
        Reason::NoQuota { region, year } => pick(
            lang,
            format!("{}: {year} жылға квота белгіленбеген.", name(*region)),
            format!("Регион «{}»: квота на {year} год не установлена.", name(*region)),
            format!("{}: no quota is set for {year}.", name(*region)),
        ),
    }
}

pub(super) fn caution(caution: &Caution, lang: Lang) -> String {
    match caution {
        Caution::IinBirthDateMismatch { encoded, declared } => {
            let encoded = encoded.map(|d| date::format(d, lang));
            let declared = date::format(*declared, lang);
            match (lang, encoded) {
                (Lang::Kk, Some(e)) => format!("ЖСН-дағы туған күн ({e}) көрсетілген күнмен ({declared}) сәйкес келмейді. Екеуін де тексеріңіз: бұл тексеруге кедергі емес."),
                (Lang::Ru, Some(e)) => format!("Дата рождения в ИИН ({e}) не совпадает с указанной ({declared}). Проверьте обе: на результат это не влияет."),
                (Lang::En, Some(e)) => format!("The birth date in the IIN ({e}) differs from the one given ({declared}). Please check both; this does not affect the result."),
                (Lang::Kk, None) => format!("ЖСН-ның алғашқы цифрлары көрсетілген туған күнге ({declared}) сәйкес келмейді. Екеуін де тексеріңіз: бұл тексеруге кедергі емес."),
                (Lang::Ru, None) => format!("Первые цифры ИИН не соответствуют указанной дате рождения ({declared}). Проверьте оба значения: на результат это не влияет."),
                (Lang::En, None) => format!("The first digits of the IIN do not encode the birth date given ({declared}). Please check both; this does not affect the result."),
            }
        }
    }
}

fn settlement(s: Settlement, lang: Lang) -> &'static str {
    match (s, lang) {
        (Settlement::Urban, Lang::Kk) => "қала",
        (Settlement::Urban, Lang::Ru) => "город",
        (Settlement::Urban, Lang::En) => "urban",
        (Settlement::Rural, Lang::Kk) => "ауыл",
        (Settlement::Rural, Lang::Ru) => "село",
        (Settlement::Rural, Lang::En) => "rural",
    }
}

pub(super) fn entitlements(e: &EntitlementAmounts, lang: Lang) -> Entitlements {
    let mrp = Tenge::new(e.mrp.value).grouped();
    let mrp_from = date::format(e.mrp.from, lang);
    let n = e.family_size;
    let per_member = e.relocation_mrp_per_member.value;
    let band = e.voucher_mrp.value;
    let limit = e.housing_limit_mrp.value;
    let place = settlement(e.settlement, lang);
    let basis = |item: &str, explanation: String, source: &crate::Localized| EntitlementBasis {
        item: item.to_string(),
        explanation,
        source: source.get(lang).to_string(),
    };
    let mrp_note = pick(
        lang,
        format!("АЕК {mrp} ₸ ({mrp_from} бастап)"),
        format!("МРП {mrp} ₸ (с {mrp_from})"),
        format!("MRP {mrp} ₸ (from {mrp_from})"),
    );
    Entitlements {
        relocation_subsidy: e.relocation_subsidy,
        monthly_voucher: e.monthly_voucher,
        voucher_months: e.voucher_months,
        employer_housing_limit: e.employer_housing_limit,
        basis: vec![
            basis(
                "relocation_subsidy",
                pick(
                    lang,
                    format!("Отбасының әр мүшесіне {per_member} АЕК × {n} адам × {mrp_note}"),
                    format!("{per_member} МРП на члена семьи × {n} чел. × {mrp_note}"),
                    format!("{per_member} MRP per family member × {n} × {mrp_note}"),
                ),
                &e.relocation_mrp_per_member.source,
            ),
            basis(
                "monthly_voucher",
                pick(
                    lang,
                    format!("{band} АЕК ({place}, {n} адамдық отбасы) × {mrp_note}"),
                    format!("{band} МРП ({place}, семья из {n} чел.) × {mrp_note}"),
                    format!("{band} MRP ({place}, family of {n}) × {mrp_note}"),
                ),
                &e.voucher_mrp.source,
            ),
            basis(
                "voucher_months",
                pick(
                    lang,
                    format!("Келген айдан бастап {} ай", e.voucher_months),
                    format!("{} мес., начиная с месяца прибытия", e.voucher_months),
                    format!(
                        "{} months, starting with the month of arrival",
                        e.voucher_months
                    ),
                ),
                &e.voucher_months_source,
            ),
            basis(
                "employer_housing_limit",
                pick(
                    lang,
                    format!("{limit} АЕК × {mrp_note}"),
                    format!("{limit} МРП × {mrp_note}"),
                    format!("{limit} MRP × {mrp_note}"),
                ),
                &e.housing_limit_mrp.source,
            ),
        ],
    }
}
