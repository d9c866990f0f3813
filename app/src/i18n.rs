//! Every user-facing string of the app, in Kazakh, Russian and English.
//!
//! One key per text so a missing translation is a compile error in `texts` and an empty
//! one fails the unit test. The checker's texts (`Key`) and those of the static pages
//! around it (`PageKey`) are separate tables, so the browser carries only the first. Texts with values use numbered placeholders `{0}`, `{1}`, filled
//! by [`tf`]; the rules' own reasons and citations come from the shared crate.

use shared::Lang;

/// Declares a key enum and its `ALL` from one list, so no key can be left out of the
/// completeness test.
macro_rules! keys {
    ($(#[$doc:meta])* $name:ident; $($key:ident),* $(,)?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($key),*
        }

        impl $name {
            /// Every key, for the completeness test.
            pub const ALL: &'static [$name] = &[$($name::$key),*];
        }
    };
}

/// A key of one of the text tables.
pub trait Text: Copy + Send + Sync + 'static {
    /// Kazakh, Russian and English.
    fn texts(self) -> [&'static str; 3];
}

impl Text for Key {
    fn texts(self) -> [&'static str; 3] {
        texts(self)
    }
}

impl Text for PageKey {
    fn texts(self) -> [&'static str; 3] {
        page_texts(self)
    }
}

keys! {
    /// Identifies one text of the checker, the part of the app that runs in the browser.
    Key;
    SupportRelocationTitle,
    SupportVoucherTitle,
    FormHeading,
    LabelIin,
    HintIin,
    LabelBirthDate,
    LabelCitizenship,
    CitizenshipCitizen,
    CitizenshipKandas,
    CitizenshipForeign,
    LabelCurrentRegion,
    LabelFamilySize,
    HintFamilySize,
    LabelDestination,
    LegendSettlement,
    SettlementUrban,
    SettlementRural,
    LabelPriorSupport,
    No,
    Yes,
    ChooseRegion,
    ErrIinMissing,
    ErrIinNotDigits,
    ErrIinLength,
    ErrIinInvalid,
    ErrBirthMissing,
    ErrBirthInvalid,
    ErrFamilySize,
    ErrRegionMissing,
    ResultsHeading,
    ResultsIncomplete,
    VerdictEligible,
    VerdictNotEligible,
    VerdictAsOf,
    RulesHeading,
    RulePassed,
    RuleFailed,
    CitationLabel,
    WarningsHeading,
    EntitlementsHeading,
    EntVoucherMonths,
    EntEmployerLimit,
    MonthsValue,
    SourceLabel,
    QuotaLoading,
    QuotaError,
    Retry,
    PolicyNotInForce,
    ServerHeading,
    ServerIntro,
    ServerButton,
    ServerPending,
    ServerNeedsForm,
    ServerEligible,
    ServerNotEligible,
    ServerAgrees,
    ServerDisagrees,
    ServerFailedRules,
    ServerStale,
    ServerPolicyDiffers,
    ErrNetwork,
    ErrServer,
    ErrBadResponse,
    LegalBasis,
    MrpExplain,
    PolicyUsed,
    SummaryLabel,
    SummaryIncomplete,
    SummaryAmounts,
    SummaryDetails,
}

keys! {
    /// Identifies one text of the static pages around the checker (header, footer, home,
    /// not found). Rendered only at build time, so none of these is in the browser's download.
    PageKey;
    SiteTagline,
    SkipToContent,
    NavLabel,
    NavHome,
    NavCheck,
    LangSwitchLabel,
    FooterSource,
    FooterPolicyVersion,
    FooterNote,
    HomeTitle,
    HomeIntro,
    HomeCta,
    HomeCtaNote,
    SupportHeading,
    SupportRelocationText,
    SupportVoucherText,
    SupportEmployerTitle,
    SupportEmployerText,
    MrpNote,
    MrpNext,
    WhoHeading,
    WhoCitizen,
    WhoKandas,
    WhoAge,
    WhoOnce,
    WhoDestinations,
    CheckTitle,
    CheckIntro,
    NotFoundTitle,
    NotFoundText,
    BackHome,
    HomeDescription,
    CheckDescription,
    CheckNeedsJs,
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: impl Text) -> &'static str {
    let [kk, ru, en] = key.texts();
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// The text of `key` in `lang` with `{0}`, `{1}`, … replaced by `args`.
pub fn tf(lang: Lang, key: impl Text, args: &[&str]) -> String {
    let mut text = t(lang, key).to_string();
    for (i, arg) in args.iter().enumerate() {
        text = text.replace(&format!("{{{i}}}"), arg);
    }
    text
}

/// A text that follows the interface language, for use in views. Every call returns the
/// same closure type, so the view code for it is generated once, not once per text.
pub fn tr(key: impl Text) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
    let lang = crate::use_lang();
    move || t(lang.get(), key)
}

/// A language's name in that language, for the language switcher.
pub fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "Қазақша",
        Lang::Ru => "Русский",
        Lang::En => "English",
    }
}

/// Kazakh, Russian and English, in that order: the checker's texts.
fn texts(key: Key) -> [&'static str; 3] {
    match key {
        Key::SupportRelocationTitle => [
            "Көшуге арналған біржолғы субсидия",
            "Единовременная субсидия на переезд",
            "One-time relocation subsidy",
        ],
        Key::SupportVoucherTitle => [
            "Тұрғын үйге арналған ай сайынғы ваучер",
            "Ежемесячный жилищный ваучер",
            "Monthly housing voucher",
        ],
        Key::FormHeading => ["Сіз туралы мәліметтер", "Ваши данные", "Your details"],
        Key::LabelIin => [
            "ЖСН (жеке сәйкестендіру нөмірі)",
            "ИИН (индивидуальный идентификационный номер)",
            "IIN (individual identification number)",
        ],
        Key::HintIin => [
            "12 цифр, жеке куәлікте көрсетілген.",
            "12 цифр, указан в удостоверении личности.",
            "12 digits, shown on your ID card.",
        ],
        Key::LabelBirthDate => ["Туған күні", "Дата рождения", "Date of birth"],
        Key::LabelCitizenship => ["Азаматтығы", "Гражданство", "Citizenship"],
        Key::CitizenshipCitizen => [
            "Қазақстан азаматы",
            "Гражданин Казахстана",
            "Citizen of Kazakhstan",
        ],
        Key::CitizenshipKandas => [
            "Қандас (атажұртына оралған қазақ)",
            "Кандас (этнический казах, вернувшийся на родину)",
            "Kandas (ethnic Kazakh returning home)",
        ],
        Key::CitizenshipForeign => [
            "Шетел азаматы",
            "Иностранный гражданин",
            "Foreign citizen",
        ],
        Key::LabelCurrentRegion => [
            "Қазір қай жерде тұрасыз",
            "Где вы живёте сейчас",
            "Where you live now",
        ],
        Key::LabelFamilySize => [
            "Көшетін отбасы мүшелерінің саны (өзіңізді қоса)",
            "Сколько членов семьи переезжает (включая вас)",
            "Family members moving (including you)",
        ],
        Key::HintFamilySize => [
            "Ең азы {0}, ең көбі {1} адам.",
            "От {0} до {1} человек.",
            "From {0} to {1} people.",
        ],
        Key::LabelDestination => [
            "Қай өңірге көшкіңіз келеді",
            "Куда вы хотите переехать",
            "Where you want to move",
        ],
        Key::LegendSettlement => [
            "Қайда қоныстанасыз",
            "Где вы будете жить",
            "Where you will settle",
        ],
        Key::SettlementUrban => ["Қалада", "В городе", "In a town or city"],
        Key::SettlementRural => ["Ауылда", "В селе", "In a village"],
        Key::LabelPriorSupport => [
            "Бұрын қоныс аударуға мемлекеттік қолдау алдыңыз ба?",
            "Получали ли вы раньше господдержку при переселении?",
            "Have you received state resettlement support before?",
        ],
        Key::No => ["Жоқ", "Нет", "No"],
        Key::Yes => ["Иә", "Да", "Yes"],
        Key::ChooseRegion => [
            "— Өңірді таңдаңыз —",
            "— Выберите регион —",
            "— Choose a region —",
        ],
        Key::ErrIinMissing => ["ЖСН-ді енгізіңіз.", "Введите ИИН.", "Enter your IIN."],
        Key::ErrIinNotDigits => [
            "Тек цифрларды енгізіңіз.",
            "Вводите только цифры.",
            "Use digits only.",
        ],
        Key::ErrIinLength => [
            "ЖСН 12 цифрдан тұрады, енгізілгені: {0}.",
            "В ИИН 12 цифр, введено: {0}.",
            "An IIN has 12 digits; you have entered {0}.",
        ],
        Key::ErrIinInvalid => [
            "Мұндай ЖСН болмайды: цифрларды тексеріңіз.",
            "Такого ИИН не бывает: проверьте цифры.",
            "This is not a valid IIN: please check the digits.",
        ],
        Key::ErrBirthMissing => [
            "Туған күніңізді көрсетіңіз.",
            "Укажите дату рождения.",
            "Enter your date of birth.",
        ],
        Key::ErrBirthInvalid => [
            "Күнді дұрыс енгізіңіз.",
            "Введите правильную дату.",
            "Enter a valid date.",
        ],
        Key::ErrFamilySize => [
            "Санды енгізіңіз: ең азы {0}, ең көбі {1}.",
            "Введите число от {0} до {1}.",
            "Enter a number from {0} to {1}.",
        ],
        Key::ErrRegionMissing => ["Өңірді таңдаңыз.", "Выберите регион.", "Choose a region."],
        Key::ResultsHeading => ["Нәтиже", "Результат", "Your result"],
        Key::ResultsIncomplete => [
            "Нәтижені көру үшін мына өрістерді толтырыңыз:",
            "Чтобы увидеть результат, заполните:",
            "To see your result, complete:",
        ],
        Key::VerdictEligible => [
            "Сіз қолдау алуға құқылысыз.",
            "Вам положена поддержка.",
            "You qualify for support.",
        ],
        Key::VerdictNotEligible => [
            "Осы мәліметтер бойынша сізге қолдау берілмейді.",
            "По этим данным поддержка вам не положена.",
            "With these details you do not qualify.",
        ],
        Key::VerdictAsOf => ["Тексеру күні: {0}.", "Дата проверки: {0}.", "Checked for {0}."],
        Key::RulesHeading => [
            "Ережелер бойынша",
            "По каждому правилу",
            "Rule by rule",
        ],
        Key::RulePassed => ["Орындалды", "Выполнено", "Met"],
        Key::RuleFailed => ["Орындалмады", "Не выполнено", "Not met"],
        Key::CitationLabel => ["Негізі:", "Основание:", "Basis:"],
        Key::WarningsHeading => ["Назар аударыңыз", "Обратите внимание", "Please note"],
        Key::EntitlementsHeading => [
            "Отбасыңызға не тиесілі",
            "Что положено вашей семье",
            "What your family gets",
        ],
        Key::EntVoucherMonths => [
            "Ваучер берілетін айлар",
            "Сколько месяцев выдаётся ваучер",
            "Months of vouchers",
        ],
        Key::EntEmployerLimit => [
            "Жұмыс берушіге тұрғын үй өтемақысының шегі",
            "Предел компенсации жилья работодателю",
            "Limit of the employer's housing compensation",
        ],
        Key::MonthsValue => ["{0} ай", "{0} мес.", "{0} months"],
        Key::SourceLabel => ["Дереккөз:", "Источник:", "Source:"],
        Key::QuotaLoading => [
            "Квоталар жүктелуде…",
            "Загружаем квоты…",
            "Loading quotas…",
        ],
        Key::QuotaError => [
            "Квоталар туралы деректерді жүктеу мүмкін болмады, сондықтан E7 ережесін тексеру мүмкін емес.",
            "Не удалось загрузить данные о квотах, поэтому правило E7 проверить нельзя.",
            "Could not load the quota data, so rule E7 cannot be checked.",
        ],
        Key::Retry => ["Қайталау", "Повторить", "Try again"],
        Key::PolicyNotInForce => [
            "Бұл күнге бағдарлама параметрлері белгіленбеген.",
            "На эту дату параметры программы не установлены.",
            "No program parameters are in force on this date.",
        ],
        Key::ServerHeading => [
            "Сервермен тексеру",
            "Проверка на сервере",
            "Check with the server",
        ],
        Key::ServerIntro => [
            "Жоғарыдағы жауап телефоныңызда есептелді. Ресми жауапты сервер береді: ол да дәл осы ережелерді қолданады.",
            "Ответ выше рассчитан на вашем телефоне. Официальный ответ даёт сервер: он применяет те же правила.",
            "The answer above was worked out on your phone. The server gives the official answer, using the same rules.",
        ],
        Key::ServerButton => [
            "Сервермен тексеру",
            "Проверить на сервере",
            "Check with the server",
        ],
        Key::ServerPending => [
            "Серверге сұрау жіберілді…",
            "Отправляем запрос на сервер…",
            "Asking the server…",
        ],
        Key::ServerNeedsForm => [
            "Алдымен форманы толтырыңыз.",
            "Сначала заполните форму.",
            "Complete the form first.",
        ],
        Key::ServerEligible => [
            "Сервер: сіз қолдау алуға құқылысыз.",
            "Сервер: вам положена поддержка.",
            "Server: you qualify for support.",
        ],
        Key::ServerNotEligible => [
            "Сервер: сізге қолдау берілмейді.",
            "Сервер: поддержка вам не положена.",
            "Server: you do not qualify.",
        ],
        Key::ServerAgrees => [
            "Сервердің жауабы телефондағы есептеумен сәйкес келеді.",
            "Ответ сервера совпадает с расчётом на телефоне.",
            "The server agrees with the answer worked out on your phone.",
        ],
        Key::ServerDisagrees => [
            "Сервердің жауабы телефондағы есептеуден өзгеше. Сервердің жауабы шешуші.",
            "Ответ сервера отличается от расчёта на телефоне. Решающим считается ответ сервера.",
            "The server's answer differs from the one worked out on your phone. The server's answer is the one that counts.",
        ],
        Key::ServerFailedRules => [
            "Орындалмаған ережелер: {0}.",
            "Не выполнены правила: {0}.",
            "Rules not met: {0}.",
        ],
        Key::ServerStale => [
            "Осы тексеруден кейін форма өзгерді — қайта тексеріңіз.",
            "После этой проверки форма изменилась — проверьте ещё раз.",
            "The form has changed since this check — check again.",
        ],
        Key::ServerPolicyDiffers => [
            "Сервер бағдарлама параметрлерінің басқа нұсқасын қолданады ({0}). Жаңарту үшін бетті қайта жүктеңіз.",
            "Сервер использует другую версию параметров программы ({0}). Обновите страницу.",
            "The server uses another version of the program parameters ({0}). Reload the page to update.",
        ],
        Key::ErrNetwork => [
            "Серверге қосылу мүмкін болмады. Интернетті тексеріп, қайталап көріңіз.",
            "Не удалось связаться с сервером. Проверьте интернет и попробуйте ещё раз.",
            "Could not reach the server. Check your connection and try again.",
        ],
        Key::ErrServer => [
            "Сервер қате қайтарды: {0}",
            "Сервер вернул ошибку: {0}",
            "The server returned an error: {0}",
        ],
        Key::ErrBadResponse => [
            "Сервердің жауабын оқу мүмкін болмады. Кейінірек қайталап көріңіз.",
            "Не удалось прочитать ответ сервера. Попробуйте позже.",
            "Could not read the server's answer. Please try again later.",
        ],
        Key::LegalBasis => ["Құқықтық негіз", "Правовое основание", "Legal basis"],
        Key::MrpExplain => [
            "АЕК — айлық есептік көрсеткіш, мемлекеттік төлемдердің негізгі бірлігі: {1} бастап 1 АЕК = {0} ₸.",
            "МРП — месячный расчётный показатель, базовая единица госвыплат: с {1} 1 МРП = {0} ₸.",
            "MRP is the monthly calculation index, the base unit of state payments: from {1}, 1 MRP = {0} ₸.",
        ],
        Key::PolicyUsed => [
            "Ережелер нұсқасы бойынша есептелді: {0}",
            "Рассчитано по версии правил {0}",
            "Calculated with policy version {0}",
        ],
        Key::SummaryLabel => ["Қысқаша жауап", "Кратко", "Your answer in short"],
        Key::SummaryIncomplete => [
            "Жауапты көру үшін форманы толтырыңыз.",
            "Заполните форму, чтобы увидеть ответ.",
            "Fill in the form to see your answer.",
        ],
        Key::SummaryAmounts => [
            "Көшуге {0}, тұрғын үйге айына {1}",
            "На переезд {0}, на жильё {1} в месяц",
            "{0} to move, {1} a month for housing",
        ],
        Key::SummaryDetails => ["Толығырақ", "Подробнее", "Details"],
    }
}

/// Kazakh, Russian and English, in that order: texts of the pages around the checker.
fn page_texts(key: PageKey) -> [&'static str; 3] {
    match key {
        PageKey::SiteTagline => [
            "Ерікті қоныс аудару бағдарламасы",
            "Программа добровольного переселения",
            "Voluntary resettlement program",
        ],
        PageKey::SkipToContent => [
            "Негізгі мазмұнға өту",
            "Перейти к основному содержанию",
            "Skip to main content",
        ],
        PageKey::NavLabel => ["Негізгі мәзір", "Основное меню", "Main menu"],
        PageKey::NavHome => ["Басты бет", "Главная", "Home"],
        PageKey::NavCheck => ["Құқықты тексеру", "Проверить право", "Check eligibility"],
        PageKey::LangSwitchLabel => ["Тіл", "Язык", "Language"],
        PageKey::FooterSource => [
            "Өңір шекаралары: geokz (А. Родионов), Қазақстан Республикасының Ұлттық статистика бюросы, CC BY 4.0",
            "Границы регионов: geokz (А. Родионов), Бюро национальной статистики Республики Казахстан, CC BY 4.0",
            "Region boundaries: geokz (A. Rodionov), Bureau of National Statistics of the Republic of Kazakhstan, CC BY 4.0",
        ],
        PageKey::FooterPolicyVersion => [
            "Бағдарлама параметрлерінің нұсқасы: {0}",
            "Версия параметров программы: {0}",
            "Policy version: {0}",
        ],
        PageKey::FooterNote => [
            "Есептеу ақпарат үшін берілген; түпкілікті шешімді әкімдік қабылдайды.",
            "Расчёт носит справочный характер; окончательное решение принимает акимат.",
            "This check is for information; the final decision is made by the akimat.",
        ],
        PageKey::HomeTitle => [
            "Солтүстікке мемлекет қолдауымен көшіңіз",
            "Переезжайте на север при поддержке государства",
            "Move north with state support",
        ],
        PageKey::HomeIntro => [
            "Қазақстан жұмыс күші артық оңтүстік өңірлерден жұмыскерлер жетіспейтін солтүстік өңірлерге көшетін отбасыларға көмектеседі. Бағдарлама бойынша көшсеңіз, мемлекет шығындарыңыздың бір бөлігін өтейді.",
            "Казахстан помогает семьям переехать из южных регионов, где работников больше, чем рабочих мест, в северные регионы, где работников не хватает. Если вы переезжаете по программе, государство берёт на себя часть расходов.",
            "Kazakhstan helps families move from southern regions, where there are more workers than jobs, to northern regions that need workers. If you move under the program, the state covers part of your costs.",
        ],
        PageKey::HomeCta => [
            "Қолдауға құқығыңызды тексеріңіз",
            "Проверьте, положена ли вам поддержка",
            "Check if you qualify",
        ],
        PageKey::HomeCtaNote => [
            "Бірнеше минут қана. «Сервермен тексеру» батырмасын баспайынша, жауаптарыңыз телефоныңызда қалады.",
            "Это займёт пару минут. Ваши ответы остаются на телефоне, пока вы не нажмёте «Проверить на сервере».",
            "It takes a couple of minutes. Your answers stay on your phone until you press “Check with the server”.",
        ],
        PageKey::SupportHeading => [
            "Қандай қолдау бар",
            "Какая поддержка положена",
            "What support you get",
        ],
        PageKey::SupportRelocationText => [
            "Көшетін отбасының әр мүшесіне {0} АЕК — бүгін бұл бір адамға {1} ₸.",
            "{0} МРП на каждого переезжающего члена семьи — сегодня это {1} ₸ на человека.",
            "{0} MRP for each family member who moves — {1} ₸ per person today.",
        ],
        PageKey::SupportVoucherText => [
            "{0} ай бойы айына {1}–{2} ₸ цифрлық ваучер: сомасы отбасы мүшелерінің санына және қалаға немесе ауылға қоныстанатыныңызға байланысты. Оны тек жаңа өңірдегі тұрғын үй жалдауға және коммуналдық қызметтерге жұмсауға болады.",
            "{0} мес. — цифровой ваучер на {1}–{2} ₸ в месяц, в зависимости от размера семьи и от того, где вы поселитесь: в городе или в селе. Тратить его можно только на аренду жилья и коммунальные услуги в новом регионе.",
            "For {0} months, a digital voucher of {1}–{2} ₸ a month, depending on the size of your family and whether you settle in a town or a village. It can be spent only on rent and utilities in your new region.",
        ],
        PageKey::SupportEmployerTitle => [
            "Жұмыс берушіге тұрғын үй өтемақысы",
            "Компенсация жилья работодателю",
            "Housing compensation for your employer",
        ],
        PageKey::SupportEmployerText => [
            "Сіз, жұмыс беруші және әкімдік үшжақты шарт жасасасыздар. Жұмыс берушінің сіздің отбасыңызды тұрғын үймен қамтамасыз ету шығындары {0} ₸ шегінде өтеледі. Өтемақы сіз өңірде тұрып, {1} ай ресми жұмыс істегеннен кейін төленеді.",
            "Вы, работодатель и акимат подписываете трёхсторонний договор. Расходы работодателя на жильё для вашей семьи компенсируются в пределах {0} ₸. Компенсация выплачивается после того, как вы {1} мес. прожили в регионе и официально работали.",
            "You, your employer and the akimat sign a tripartite contract. The employer's costs of housing your family are compensated up to {0} ₸, paid once you have lived in the region and worked officially for {1} months.",
        ],
        PageKey::MrpNext => [
            "{1} бастап 1 АЕК = {0} ₸, сомалар соған сәйкес өзгереді.",
            "С {1} 1 МРП = {0} ₸, суммы изменятся соответственно.",
            "From {1}, 1 MRP = {0} ₸, and the amounts change accordingly.",
        ],
        PageKey::MrpNote => [
            "1 АЕК (айлық есептік көрсеткіш) = {0} ₸, {1} бастап.",
            "1 МРП (месячный расчётный показатель) = {0} ₸ с {1}.",
            "1 MRP (monthly calculation index) = {0} ₸ from {1}.",
        ],
        PageKey::WhoHeading => [
            "Кім өтініш бере алады",
            "Кто может подать заявление",
            "Who can apply",
        ],
        PageKey::WhoCitizen => [
            "Еңбек артық өңірде тұратын Қазақстан азаматтары: {0}.",
            "Граждане Казахстана, которые живут в трудоизбыточном регионе: {0}.",
            "Citizens of Kazakhstan who live in a labour-surplus region: {0}.",
        ],
        PageKey::WhoKandas => [
            "Осы өңірлерден немесе шетелден көшетін қандастар.",
            "Кандасы из этих регионов или из-за рубежа.",
            "Kandases (ethnic Kazakhs returning home) from these regions or from abroad.",
        ],
        PageKey::WhoAge => [
            "Жасы {0} жастан бастап, {1} жасқа толмаған адамдар.",
            "В возрасте от {0} лет, но младше {1} лет.",
            "Aged {0} or over and under {1}.",
        ],
        PageKey::WhoOnce => [
            "Бұрын қоныс аударуға қолдау алмағандар.",
            "Ранее не получавшие поддержку при переселении.",
            "Who have not received resettlement support before.",
        ],
        PageKey::WhoDestinations => [
            "Қоныстандыру өңірлері: {0}. Әр өңір жылына шектеулі санда отбасы қабылдайды (квота).",
            "Регионы расселения: {0}. Каждый регион принимает в год ограниченное число семей (квота).",
            "Resettlement regions: {0}. Each region accepts a limited number of families a year (a quota).",
        ],
        PageKey::CheckTitle => [
            "Қолдауға құқығыңызды тексеріңіз",
            "Проверьте право на поддержку",
            "Check if you qualify",
        ],
        PageKey::CheckIntro => [
            "Форманы толтырыңыз. Төмендегі жауап әр ереже бойынша сіз толтырған сайын жаңарып отырады.",
            "Заполните форму. Ответ ниже обновляется по мере ввода — по каждому правилу.",
            "Fill in the form. The answer below updates as you type, rule by rule.",
        ],
        PageKey::NotFoundTitle => ["Бет табылмады", "Страница не найдена", "Page not found"],
        PageKey::NotFoundText => [
            "Мұндай бет жоқ. Мекенжайды тексеріңіз немесе басты бетке оралыңыз.",
            "Такой страницы нет. Проверьте адрес или вернитесь на главную.",
            "There is no such page. Check the address or go back to the home page.",
        ],
        PageKey::BackHome => ["Басты бетке өту", "Перейти на главную", "Go to the home page"],
        PageKey::HomeDescription => [
            "Оңтүстіктен солтүстік өңірлерге көшетін отбасыларға мемлекеттік қолдау: кімге тиесілі, қанша және қалай өтініш беруге болады.",
            "Господдержка семьям, переезжающим с юга в северные регионы Казахстана: кому положена, сколько и как подать заявку.",
            "State support for families moving from the south to the northern regions of Kazakhstan: who qualifies, how much, and how to apply.",
        ],
        PageKey::CheckDescription => [
            "Көшуге қолдау алуға құқығыңызды және сомасын тіркелмей-ақ тексеріңіз: әр ереже заң негізімен.",
            "Проверьте без регистрации, положена ли вам поддержка при переезде и сколько: каждое правило с правовым основанием.",
            "Check without registering whether you qualify for resettlement support and how much: every rule with its legal basis.",
        ],
        PageKey::CheckNeedsJs => [
            "Тексеру сіздің браузеріңізде есептеледі және JavaScript қажет етеді. JavaScript қосыңыз немесе оны қолдайтын браузерді пайдаланыңыз. Бағдарлама шарттары басты бетте сипатталған.",
            "Проверка выполняется в вашем браузере и требует JavaScript. Включите JavaScript или откройте страницу в браузере, который его поддерживает. Условия программы описаны на главной странице.",
            "The check runs in your browser and needs JavaScript. Turn JavaScript on, or open this page in a browser that supports it. The program's conditions are described on the home page.",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<usize> {
        (0..10)
            .filter(|i| text.contains(&format!("{{{i}}}")))
            .collect()
    }

    /// Every text of both tables, by key name.
    fn all() -> Vec<(String, [&'static str; 3])> {
        let checker = Key::ALL.iter().map(|k| (format!("{k:?}"), k.texts()));
        let pages = PageKey::ALL.iter().map(|k| (format!("{k:?}"), k.texts()));
        checker.chain(pages).collect()
    }

    #[test]
    fn every_key_has_a_text_in_every_language() {
        for (key, texts) in all() {
            for (lang, text) in Lang::ALL.into_iter().zip(texts) {
                assert!(!text.trim().is_empty(), "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn every_language_uses_the_same_placeholders() {
        for (key, [kk, ru, en]) in all() {
            assert_eq!(placeholders(kk), placeholders(en), "{key} in kk");
            assert_eq!(placeholders(ru), placeholders(en), "{key} in ru");
        }
    }

    #[test]
    fn kazakh_and_russian_are_cyrillic() {
        let cyrillic = |s: &str| s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        for (key, [kk, ru, _]) in all() {
            assert!(cyrillic(kk), "{key} kk");
            assert!(cyrillic(ru), "{key} ru");
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            tf(Lang::En, Key::ErrFamilySize, &["1", "15"]),
            "Enter a number from 1 to 15."
        );
    }
}
