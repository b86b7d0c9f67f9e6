"""Demo content for `flask seed-demo`: a fictional regional network of internship sites.

Pure data. Themes and plan rows are adapted from the seed documents (000: plan-schedule of the
Krasnodar-krai resource centre; 002: district programme 2025–2027). Every person is fictional.
Directions, forms and audiences are exact names from taxonomy_seed.py.

Session dates are (month, day) inside an academic year: months 9–12 fall in its first calendar
year, months 1–8 in the second.
"""
from __future__ import annotations

MUNICIPALITIES = [
    {"code": "krasnodar", "name": "г. Краснодар", "timezone": "Europe/Moscow"},
    {"code": "timashevsk", "name": "Тимашевский район", "timezone": "Europe/Moscow"},
    {"code": "krymsk", "name": "Крымский район", "timezone": "Europe/Moscow"},
    {"code": "slavyansk", "name": "Славянский район", "timezone": "Europe/Moscow"},
    {"code": "korenovsk", "name": "Кореновский район", "timezone": "Europe/Moscow"},
    {"code": "ust-labinsk", "name": "Усть-Лабинский район", "timezone": "Europe/Moscow"},
    {"code": "belorechensk", "name": "Белореченский район", "timezone": "Europe/Moscow"},
    {"code": "azov", "name": "Азовский район (Ростовская область)", "timezone": "Europe/Moscow"},
    {"code": "berezovsky", "name": "Березовский городской округ (Свердловская область)",
     "timezone": "Asia/Yekaterinburg"},
]

ORGANIZATIONS = [
    # --- resource centre (network admin) ---
    {"key": "cnppm", "name": "ЦНППМ ИРО Краснодарского края",
     "full_name": "Центр непрерывного повышения профессионального мастерства педагогических работников "
                  "государственного бюджетного образовательного учреждения дополнительного профессионального "
                  "образования «Институт развития образования» Краснодарского края",
     "kind": "institute", "municipality": "krasnodar",
     "address": "350080, г. Краснодар, ул. Старокубанская, 114", "category": None, "low_results": False},
    # --- municipal methodical services ---
    {"key": "krd-cro", "name": "МКУ ЦРО г. Краснодара",
     "full_name": "Муниципальное казённое учреждение муниципального образования город Краснодар "
                  "«Центр развития образования»",
     "kind": "methodical_centre", "municipality": "krasnodar",
     "address": "350063, г. Краснодар, ул. Пушкина, 27", "category": None, "low_results": False},
    {"key": "tim-cro", "name": "МБУ «ЦРО» Тимашевского района",
     "full_name": "Муниципальное бюджетное учреждение «Центр развития образования» "
                  "муниципального образования Тимашевский район",
     "kind": "methodical_centre", "municipality": "timashevsk",
     "address": "352700, г. Тимашевск, ул. Ленина, 148", "category": None, "low_results": False},
    {"key": "krym-tms", "name": "МКУ «ТМС» Крымского района",
     "full_name": "Муниципальное казённое учреждение «Территориальная методическая служба» "
                  "муниципального образования Крымский район",
     "kind": "methodical_centre", "municipality": "krymsk",
     "address": "353380, г. Крымск, ул. Синева, 21", "category": None, "low_results": False},
    {"key": "slav-omc", "name": "МКУ «ОмЦ» Славянского района",
     "full_name": "Муниципальное казённое учреждение «Организационно-методический центр» "
                  "муниципального образования Славянский район",
     "kind": "methodical_centre", "municipality": "slavyansk",
     "address": "353560, г. Славянск-на-Кубани, ул. Красная, 36", "category": None, "low_results": False},
    {"key": "kor-imc", "name": "МКУ «ИМЦ» Кореновского района",
     "full_name": "Муниципальное казённое учреждение «Информационно-методический центр» "
                  "муниципального образования Кореновский район",
     "kind": "methodical_centre", "municipality": "korenovsk",
     "address": "353180, г. Кореновск, ул. Красная, 92", "category": None, "low_results": False},
    {"key": "ust-cro", "name": "МКУ «ЦРО» Усть-Лабинского района",
     "full_name": "Муниципальное казённое учреждение «Центр развития образования» "
                  "муниципального образования Усть-Лабинский район",
     "kind": "methodical_centre", "municipality": "ust-labinsk",
     "address": "352330, г. Усть-Лабинск, ул. Обороны, 19", "category": None, "low_results": False},
    {"key": "bel-tms", "name": "МКУ «ТМС» Белореченского района",
     "full_name": "Муниципальное казённое учреждение «Территориальная методическая служба» "
                  "муниципального образования Белореченский район",
     "kind": "methodical_centre", "municipality": "belorechensk",
     "address": "352630, г. Белореченск, ул. Интернациональная, 44", "category": None, "low_results": False},
    {"key": "azov-mms", "name": "МБУ «ММС» Азовского района",
     "full_name": "Муниципальное бюджетное учреждение «Муниципальная методическая служба» Азовского района",
     "kind": "methodical_centre", "municipality": "azov",
     "address": "346780, Ростовская обл., г. Азов, ул. Московская, 58", "category": None, "low_results": False},
    {"key": "ber-imc", "name": "МАУ «ИМЦ» Березовского ГО",
     "full_name": "Муниципальное автономное учреждение «Информационно-методический центр» "
                  "Березовского городского округа",
     "kind": "methodical_centre", "municipality": "berezovsky",
     "address": "623700, Свердловская обл., г. Березовский, ул. Театральная, 11",
     "category": None, "low_results": False},
    # --- schools: Краснодар ---
    {"key": "krd-sosh-12", "name": "МБОУ СОШ № 12",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение муниципального образования "
                  "город Краснодар средняя общеобразовательная школа № 12",
     "kind": "school", "municipality": "krasnodar",
     "address": "350049, г. Краснодар, ул. Садовая, 64", "category": "leader", "low_results": False},
    {"key": "krd-gimn-44", "name": "МАОУ гимназия № 44",
     "full_name": "Муниципальное автономное общеобразовательное учреждение муниципального образования "
                  "город Краснодар гимназия № 44",
     "kind": "school", "municipality": "krasnodar",
     "address": "350020, г. Краснодар, ул. Рашпилевская, 211", "category": "leader", "low_results": False},
    {"key": "krd-licey-48", "name": "МАОУ лицей № 48",
     "full_name": "Муниципальное автономное общеобразовательное учреждение муниципального образования "
                  "город Краснодар лицей № 48",
     "kind": "school", "municipality": "krasnodar",
     "address": "350058, г. Краснодар, ул. Ставропольская, 187", "category": "promising", "low_results": False},
    {"key": "krd-sosh-71", "name": "МБОУ СОШ № 71",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение муниципального образования "
                  "город Краснодар средняя общеобразовательная школа № 71",
     "kind": "school", "municipality": "krasnodar",
     "address": "350901, г. Краснодар, ул. Восточно-Кругликовская, 30", "category": "hidden_reserve",
     "low_results": True},
    {"key": "krd-sosh-95", "name": "МБОУ СОШ № 95",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение муниципального образования "
                  "город Краснодар средняя общеобразовательная школа № 95",
     "kind": "school", "municipality": "krasnodar",
     "address": "350911, г. Краснодар, ул. Тополиная, 8", "category": "promising", "low_results": False},
    # --- schools: Тимашевский район ---
    {"key": "tim-sosh-1", "name": "МБОУ СОШ № 1",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 1 "
                  "муниципального образования Тимашевский район",
     "kind": "school", "municipality": "timashevsk",
     "address": "352700, г. Тимашевск, ул. Пионерская, 95", "category": "leader", "low_results": False},
    {"key": "tim-sosh-2", "name": "МБОУ СОШ № 2",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 2 "
                  "муниципального образования Тимашевский район",
     "kind": "school", "municipality": "timashevsk",
     "address": "352700, г. Тимашевск, ул. Шияна, 31", "category": "leader", "low_results": False},
    {"key": "tim-sosh-4", "name": "МБОУ СОШ № 4",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 4 "
                  "муниципального образования Тимашевский район",
     "kind": "school", "municipality": "timashevsk",
     "address": "352702, г. Тимашевск, ул. Северная, 17", "category": "leader", "low_results": False},
    {"key": "tim-sosh-5", "name": "МБОУ СОШ № 5",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 5 "
                  "муниципального образования Тимашевский район",
     "kind": "school", "municipality": "timashevsk",
     "address": "352700, г. Тимашевск, ул. Гибридная, 40", "category": "leader", "low_results": False},
    {"key": "tim-sosh-11", "name": "МБОУ СОШ № 11",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 11 "
                  "муниципального образования Тимашевский район",
     "kind": "school", "municipality": "timashevsk",
     "address": "352745, Тимашевский район, ст. Днепровская, ул. Школьная, 12", "category": "leader",
     "low_results": False},
    {"key": "tim-sosh-13", "name": "МБОУ СОШ № 13",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 13 "
                  "муниципального образования Тимашевский район",
     "kind": "school", "municipality": "timashevsk",
     "address": "352730, Тимашевский район, ст. Медвёдовская, ул. Мира, 54", "category": "leader",
     "low_results": False},
    {"key": "tim-sosh-17", "name": "МБОУ ООШ № 17",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение основная общеобразовательная школа № 17 "
                  "муниципального образования Тимашевский район",
     "kind": "school", "municipality": "timashevsk",
     "address": "352716, Тимашевский район, х. Незаймановский, ул. Садовая, 3", "category": "hidden_reserve",
     "low_results": True},
    # --- schools: Крымский район ---
    {"key": "krym-sosh-3", "name": "МБОУ СОШ № 3",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 3 "
                  "муниципального образования Крымский район",
     "kind": "school", "municipality": "krymsk",
     "address": "353380, г. Крымск, ул. Демьяна Бедного, 22", "category": "leader", "low_results": False},
    {"key": "krym-gimn-1", "name": "МБОУ гимназия № 1",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение гимназия № 1 "
                  "муниципального образования Крымский район",
     "kind": "school", "municipality": "krymsk",
     "address": "353380, г. Крымск, ул. Советская, 81", "category": "leader", "low_results": False},
    {"key": "krym-sosh-9", "name": "МБОУ СОШ № 9",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 9 "
                  "муниципального образования Крымский район",
     "kind": "school", "municipality": "krymsk",
     "address": "353360, Крымский район, ст. Троицкая, ул. Октябрьская, 7", "category": "promising",
     "low_results": False},
    {"key": "krym-oosh-27", "name": "МБОУ ООШ № 27",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение основная общеобразовательная школа № 27 "
                  "муниципального образования Крымский район",
     "kind": "school", "municipality": "krymsk",
     "address": "353372, Крымский район, х. Верхнеадагум, ул. Школьная, 2", "category": "hidden_reserve",
     "low_results": True},
    # --- schools: other municipalities ---
    {"key": "slav-sosh-5", "name": "МБОУ СОШ № 5",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 5 "
                  "муниципального образования Славянский район",
     "kind": "school", "municipality": "slavyansk",
     "address": "353560, г. Славянск-на-Кубани, ул. Отдельская, 263", "category": "promising",
     "low_results": False},
    {"key": "slav-sosh-18", "name": "МБОУ СОШ № 18",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 18 "
                  "муниципального образования Славянский район",
     "kind": "school", "municipality": "slavyansk",
     "address": "353590, Славянский район, ст. Петровская, ул. Красная, 45", "category": None,
     "low_results": False},
    {"key": "kor-sosh-3", "name": "МБОУ СОШ № 3",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 3 "
                  "муниципального образования Кореновский район",
     "kind": "school", "municipality": "korenovsk",
     "address": "353180, г. Кореновск, ул. Пурыхина, 12", "category": None, "low_results": False},
    {"key": "kor-sosh-19", "name": "МБОУ СОШ № 19",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 19 "
                  "муниципального образования Кореновский район",
     "kind": "school", "municipality": "korenovsk",
     "address": "353170, Кореновский район, ст. Журавская, ул. Школьная, 9", "category": "hidden_reserve",
     "low_results": True},
    {"key": "ust-sosh-2", "name": "МБОУ СОШ № 2",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная школа № 2 "
                  "муниципального образования Усть-Лабинский район",
     "kind": "school", "municipality": "ust-labinsk",
     "address": "352330, г. Усть-Лабинск, ул. Шаумяна, 51", "category": "promising", "low_results": False},
    {"key": "bel-gimn-5", "name": "МБОУ гимназия № 5",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение гимназия № 5 "
                  "муниципального образования Белореченский район",
     "kind": "school", "municipality": "belorechensk",
     "address": "352630, г. Белореченск, ул. Ленина, 77", "category": "leader", "low_results": False},
    {"key": "azov-sosh-16", "name": "МБОУ Кулешовская СОШ № 16",
     "full_name": "Муниципальное бюджетное общеобразовательное учреждение Кулешовская средняя "
                  "общеобразовательная школа № 16 Азовского района",
     "kind": "school", "municipality": "azov",
     "address": "346751, Ростовская обл., Азовский район, с. Кулешовка, ул. Первомайская, 34",
     "category": "promising", "low_results": False},
    {"key": "ber-sosh-1", "name": "МАОУ СОШ № 1",
     "full_name": "Муниципальное автономное общеобразовательное учреждение средняя общеобразовательная "
                  "школа № 1 Березовского городского округа",
     "kind": "school", "municipality": "berezovsky",
     "address": "623701, Свердловская обл., г. Березовский, ул. Гагарина, 6", "category": "leader",
     "low_results": False},
    {"key": "ber-sosh-2", "name": "МАОУ СОШ № 2",
     "full_name": "Муниципальное автономное общеобразовательное учреждение средняя общеобразовательная "
                  "школа № 2 Березовского городского округа",
     "kind": "school", "municipality": "berezovsky",
     "address": "623700, Свердловская обл., г. Березовский, ул. Шиловская, 19", "category": None,
     "low_results": False},
    # --- kindergartens ---
    {"key": "krd-ds-115", "name": "МБДОУ д/с № 115",
     "full_name": "Муниципальное бюджетное дошкольное образовательное учреждение муниципального образования "
                  "город Краснодар «Детский сад общеразвивающего вида № 115»",
     "kind": "kindergarten", "municipality": "krasnodar",
     "address": "350072, г. Краснодар, ул. Зиповская, 21", "category": None, "low_results": False},
    {"key": "krd-ds-204", "name": "МБДОУ д/с № 204",
     "full_name": "Муниципальное бюджетное дошкольное образовательное учреждение муниципального образования "
                  "город Краснодар «Детский сад комбинированного вида № 204»",
     "kind": "kindergarten", "municipality": "krasnodar",
     "address": "350089, г. Краснодар, ул. Бульварное Кольцо, 14", "category": None, "low_results": False},
    {"key": "tim-ds-7", "name": "МБДОУ д/с № 7",
     "full_name": "Муниципальное бюджетное дошкольное образовательное учреждение детский сад № 7 "
                  "муниципального образования Тимашевский район",
     "kind": "kindergarten", "municipality": "timashevsk",
     "address": "352700, г. Тимашевск, ул. Максима Горького, 53", "category": None, "low_results": False},
    {"key": "tim-ds-12", "name": "МБДОУ д/с № 12",
     "full_name": "Муниципальное бюджетное дошкольное образовательное учреждение детский сад № 12 "
                  "муниципального образования Тимашевский район",
     "kind": "kindergarten", "municipality": "timashevsk",
     "address": "352703, г. Тимашевск, мкр. Садовый, 4", "category": None, "low_results": False},
    {"key": "krym-ds-20", "name": "МБДОУ д/с № 20",
     "full_name": "Муниципальное бюджетное дошкольное образовательное учреждение детский сад № 20 "
                  "муниципального образования Крымский район",
     "kind": "kindergarten", "municipality": "krymsk",
     "address": "353380, г. Крымск, ул. Маршала Жукова, 15", "category": None, "low_results": False},
    {"key": "slav-ds-3", "name": "МБДОУ д/с № 3",
     "full_name": "Муниципальное бюджетное дошкольное образовательное учреждение детский сад № 3 "
                  "муниципального образования Славянский район",
     "kind": "kindergarten", "municipality": "slavyansk",
     "address": "353560, г. Славянск-на-Кубани, ул. Стаханова, 28", "category": None, "low_results": False},
    # --- supplementary education ---
    {"key": "krd-cdt", "name": "МБУ ДО ЦДТ «Солнечный»",
     "full_name": "Муниципальное бюджетное учреждение дополнительного образования муниципального образования "
                  "город Краснодар «Центр детского творчества «Солнечный»",
     "kind": "supplementary", "municipality": "krasnodar",
     "address": "350038, г. Краснодар, ул. Северная, 405", "category": None, "low_results": False},
    {"key": "tim-ddt", "name": "МБУ ДО ДДТ",
     "full_name": "Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества» "
                  "муниципального образования Тимашевский район",
     "kind": "supplementary", "municipality": "timashevsk",
     "address": "352700, г. Тимашевск, ул. Красная, 110", "category": None, "low_results": False},
    # --- college ---
    {"key": "krd-college", "name": "ГБПОУ КК «Кубанский гуманитарно-педагогический колледж»",
     "full_name": "Государственное бюджетное профессиональное образовательное учреждение Краснодарского края "
                  "«Кубанский гуманитарно-педагогический колледж»",
     "kind": "college", "municipality": "krasnodar",
     "address": "350015, г. Краснодар, ул. Кубанонабережная, 52", "category": None, "low_results": False},
]

PEOPLE = [
    # --- network administrators (resource centre) ---
    {"key": "admin1", "last_name": "Воронцова", "first_name": "Елена", "middle_name": "Викторовна",
     "email": "admin@demo.local", "organization": "cnppm", "position": "Руководитель ЦНППМ",
     "subjects": "", "years_experience": 24, "roles": [("admin", None)]},
    {"key": "admin2", "last_name": "Гаврилов", "first_name": "Артём", "middle_name": "Сергеевич",
     "email": "admin2@demo.local", "organization": "cnppm", "position": "Методист ЦНППМ",
     "subjects": "", "years_experience": 11, "roles": [("admin", None)]},
    # --- municipal methodists ---
    {"key": "metod-krd", "last_name": "Лебедева", "first_name": "Ирина", "middle_name": "Анатольевна",
     "email": "metodist@demo.local", "organization": "krd-cro", "position": "Методист ЦРО",
     "subjects": "", "years_experience": 17, "roles": [("methodist", "krasnodar")]},
    {"key": "metod-tim", "last_name": "Котова", "first_name": "Наталья", "middle_name": "Геннадьевна",
     "email": "metodist2@demo.local", "organization": "tim-cro", "position": "Старший методист ЦРО",
     "subjects": "", "years_experience": 21, "roles": [("methodist", "timashevsk")]},
    {"key": "metod-krym", "last_name": "Зуева", "first_name": "Оксана", "middle_name": "Петровна",
     "email": "metodist.krymsk@demo.local", "organization": "krym-tms", "position": "Методист ТМС",
     "subjects": "", "years_experience": 15, "roles": [("methodist", "krymsk")]},
    {"key": "metod-slav", "last_name": "Рябов", "first_name": "Денис", "middle_name": "Олегович",
     "email": "metodist.slavyansk@demo.local", "organization": "slav-omc", "position": "Методист ОмЦ",
     "subjects": "", "years_experience": 9, "roles": [("methodist", "slavyansk")]},
    {"key": "metod-kor", "last_name": "Мельникова", "first_name": "Татьяна", "middle_name": "Юрьевна",
     "email": "metodist.korenovsk@demo.local", "organization": "kor-imc", "position": "Методист ИМЦ",
     "subjects": "", "years_experience": 13, "roles": [("methodist", "korenovsk")]},
    {"key": "metod-ust", "last_name": "Сафонова", "first_name": "Людмила", "middle_name": "Ивановна",
     "email": "metodist.ustlabinsk@demo.local", "organization": "ust-cro", "position": "Ведущий методист ЦРО",
     "subjects": "", "years_experience": 26, "roles": [("methodist", "ust-labinsk")]},
    {"key": "metod-bel", "last_name": "Дьяченко", "first_name": "Марина", "middle_name": "Владимировна",
     "email": "metodist.belorechensk@demo.local", "organization": "bel-tms", "position": "Методист ТМС",
     "subjects": "", "years_experience": 12, "roles": [("methodist", "belorechensk")]},
    {"key": "metod-azov", "last_name": "Гончаренко", "first_name": "Светлана", "middle_name": "Николаевна",
     "email": "metodist.azov@demo.local", "organization": "azov-mms", "position": "Методист ММС",
     "subjects": "", "years_experience": 18, "roles": [("methodist", "azov")]},
    {"key": "metod-ber", "last_name": "Шестакова", "first_name": "Ольга", "middle_name": "Валерьевна",
     "email": "metodist.berezovsky@demo.local", "organization": "ber-imc", "position": "Методист ИМЦ",
     "subjects": "", "years_experience": 14, "roles": [("methodist", "berezovsky")]},
    # --- site leaders ---
    {"key": "leader1", "last_name": "Белова", "first_name": "Анна", "middle_name": "Сергеевна",
     "email": "leader@demo.local", "organization": "krd-sosh-12",
     "position": "Заместитель директора по учебно-методической работе", "subjects": "Информатика",
     "years_experience": 15,
     "roles": [("site_leader", "site-krd-sosh12-ikt"), ("site_leader", "site-krd-sosh12-fg")]},
    {"key": "leader-metod", "last_name": "Кравец", "first_name": "Галина", "middle_name": "Михайловна",
     "email": "kravets.gm@demo.local", "organization": "tim-sosh-1",
     "position": "Заместитель директора по научно-методической работе", "subjects": "Русский язык, литература",
     "years_experience": 26, "roles": [("site_leader", "site-tim-sosh1-metod")]},
    {"key": "leader-proekt", "last_name": "Пономарёв", "first_name": "Игорь", "middle_name": "Викторович",
     "email": "ponomarev.iv@demo.local", "organization": "tim-sosh-2",
     "position": "Учитель биологии, руководитель проектного офиса", "subjects": "Биология",
     "years_experience": 19, "roles": [("site_leader", "site-tim-sosh2-proekt")]},
    {"key": "leader-oko", "last_name": "Ткаченко", "first_name": "Вера", "middle_name": "Александровна",
     "email": "tkachenko.va@demo.local", "organization": "tim-sosh-4",
     "position": "Заместитель директора по учебно-воспитательной работе", "subjects": "Математика",
     "years_experience": 22, "roles": [("site_leader", "site-tim-sosh4-oko")]},
    {"key": "leader-stupenki", "last_name": "Осипова", "first_name": "Юлия", "middle_name": "Романовна",
     "email": "osipova.yr@demo.local", "organization": "tim-sosh-5", "position": "Педагог-психолог",
     "subjects": "", "years_experience": 14, "roles": [("site_leader", "site-tim-sosh5-stupenki")]},
    {"key": "leader-sdm", "last_name": "Марченко", "first_name": "Лариса", "middle_name": "Дмитриевна",
     "email": "marchenko.ld@demo.local", "organization": "tim-sosh-11", "position": "Учитель начальных классов",
     "subjects": "Начальные классы", "years_experience": 28, "roles": [("site_leader", "site-tim-sosh11-sdm")]},
    {"key": "leader-zdorov", "last_name": "Фомин", "first_name": "Сергей", "middle_name": "Николаевич",
     "email": "fomin.sn@demo.local", "organization": "tim-sosh-13", "position": "Учитель физической культуры",
     "subjects": "Физическая культура", "years_experience": 20,
     "roles": [("site_leader", "site-tim-sosh13-zdorov")]},
    {"key": "leader-ppsr", "last_name": "Ковалёва", "first_name": "Евгения", "middle_name": "Игоревна",
     "email": "kovaleva.ei@demo.local", "organization": "krd-ds-115", "position": "Старший воспитатель",
     "subjects": "", "years_experience": 16, "roles": [("site_leader", "site-krd-ds115-ppsr")]},
    {"key": "leader-ecers", "last_name": "Прокопенко", "first_name": "Алла", "middle_name": "Васильевна",
     "email": "prokopenko.av@demo.local", "organization": "tim-ds-7", "position": "Заведующий",
     "subjects": "", "years_experience": 25, "roles": [("site_leader", "site-tim-ds7-ecers")]},
    {"key": "leader-innov", "last_name": "Сидоренко", "first_name": "Павел", "middle_name": "Андреевич",
     "email": "sidorenko.pa@demo.local", "organization": "krd-gimn-44", "position": "Директор",
     "subjects": "История", "years_experience": 21, "roles": [("site_leader", "site-krd-gimn44-innov")]},
    {"key": "leader-innov2", "last_name": "Назарова", "first_name": "Кристина", "middle_name": "Олеговна",
     "email": "nazarova.ko@demo.local", "organization": "krd-gimn-44",
     "position": "Заместитель директора по методической работе", "subjects": "Английский язык",
     "years_experience": 12, "roles": [("site_leader", "site-krd-gimn44-innov")]},
    {"key": "leader-mgmt", "last_name": "Литвинова", "first_name": "Ольга", "middle_name": "Степановна",
     "email": "litvinova.os@demo.local", "organization": "krym-sosh-3", "position": "Директор",
     "subjects": "Физика", "years_experience": 27, "roles": [("site_leader", "site-krym-sosh3-mgmt")]},
    {"key": "leader-mgmt2", "last_name": "Бондаренко", "first_name": "Руслан", "middle_name": "Алексеевич",
     "email": "bondarenko.ra@demo.local", "organization": "krym-sosh-3",
     "position": "Заместитель директора по учебно-воспитательной работе", "subjects": "Обществознание",
     "years_experience": 10, "roles": [("site_leader", "site-krym-sosh3-mgmt")]},
    {"key": "leader-krc", "last_name": "Ярошенко", "first_name": "Тамара", "middle_name": "Ивановна",
     "email": "yaroshenko.ti@demo.local", "organization": "tim-cro", "position": "Директор ЦРО",
     "subjects": "", "years_experience": 30, "roles": [("site_leader", "site-tim-cro-krc")]},
    {"key": "leader-profor", "last_name": "Чернышёва", "first_name": "Дарья", "middle_name": "Александровна",
     "email": "chernysheva.da@demo.local", "organization": "ber-sosh-1",
     "position": "Заместитель директора по воспитательной работе", "subjects": "География",
     "years_experience": 13, "roles": [("site_leader", "site-ber-sosh1-profor")]},
    # --- school coordinators ---
    {"key": "coord-krd71", "last_name": "Руденко", "first_name": "Светлана", "middle_name": "Викторовна",
     "email": "coordinator@demo.local", "organization": "krd-sosh-71",
     "position": "Заместитель директора по методической работе", "subjects": "Русский язык",
     "years_experience": 18, "roles": [("coordinator", "krd-sosh-71")]},
    {"key": "coord-lic48", "last_name": "Ефимова", "first_name": "Наталья", "middle_name": "Борисовна",
     "email": "efimova.nb@demo.local", "organization": "krd-licey-48",
     "position": "Заместитель директора по учебно-методической работе", "subjects": "Химия",
     "years_experience": 20, "roles": [("coordinator", "krd-licey-48")]},
    {"key": "coord-tim13", "last_name": "Гордиенко", "first_name": "Елена", "middle_name": "Павловна",
     "email": "gordienko.ep@demo.local", "organization": "tim-sosh-13",
     "position": "Заместитель директора по методической работе", "subjects": "История",
     "years_experience": 16, "roles": [("coordinator", "tim-sosh-13")]},
    {"key": "coord-krym9", "last_name": "Самойлов", "first_name": "Виктор", "middle_name": "Геннадьевич",
     "email": "samoylov.vg@demo.local", "organization": "krym-sosh-9",
     "position": "Заместитель директора по учебно-воспитательной работе", "subjects": "Математика",
     "years_experience": 23, "roles": [("coordinator", "krym-sosh-9")]},
    {"key": "coord-krym27", "last_name": "Игнатенко", "first_name": "Инна", "middle_name": "Сергеевна",
     "email": "ignatenko.is@demo.local", "organization": "krym-oosh-27",
     "position": "Заместитель директора по учебно-воспитательной работе", "subjects": "Начальные классы",
     "years_experience": 11, "roles": [("coordinator", "krym-oosh-27")]},
    {"key": "coord-slav5", "last_name": "Денисенко", "first_name": "Ольга", "middle_name": "Ильинична",
     "email": "denisenko.oi@demo.local", "organization": "slav-sosh-5",
     "position": "Заместитель директора по методической работе", "subjects": "Английский язык",
     "years_experience": 19, "roles": [("coordinator", "slav-sosh-5")]},
    {"key": "coord-kor19", "last_name": "Ермолаев", "first_name": "Константин", "middle_name": "Игоревич",
     "email": "ermolaev.ki@demo.local", "organization": "kor-sosh-19",
     "position": "Заместитель директора по учебно-воспитательной работе", "subjects": "Физика",
     "years_experience": 8, "roles": [("coordinator", "kor-sosh-19")]},
    {"key": "coord-azov16", "last_name": "Василенко", "first_name": "Жанна", "middle_name": "Анатольевна",
     "email": "vasilenko.zha@demo.local", "organization": "azov-sosh-16",
     "position": "Заместитель директора по учебно-воспитательной работе", "subjects": "Биология",
     "years_experience": 21, "roles": [("coordinator", "azov-sosh-16")]},
    # --- teachers (no special role) ---
    {"key": "teacher1", "last_name": "Соколова", "first_name": "Полина", "middle_name": "Андреевна",
     "email": "teacher@demo.local", "organization": "krd-sosh-71", "position": "Учитель математики",
     "subjects": "Математика", "years_experience": 2, "roles": []},
    {"key": "t-krd-1", "last_name": "Морозов", "first_name": "Кирилл", "middle_name": "Евгеньевич",
     "email": "morozov.ke@demo.local", "organization": "krd-sosh-12",
     "position": "Учитель истории и обществознания", "subjects": "История, обществознание",
     "years_experience": 1, "roles": []},
    {"key": "t-krd-2", "last_name": "Абрамова", "first_name": "Виктория", "middle_name": "Сергеевна",
     "email": "abramova.vs@demo.local", "organization": "krd-licey-48",
     "position": "Учитель русского языка и литературы", "subjects": "Русский язык, литература",
     "years_experience": 9, "roles": []},
    {"key": "t-krd-3", "last_name": "Жукова", "first_name": "Ксения", "middle_name": "Дмитриевна",
     "email": "zhukova.kd@demo.local", "organization": "krd-ds-115", "position": "Воспитатель",
     "subjects": "", "years_experience": 0, "roles": []},
    {"key": "t-krd-4", "last_name": "Тарасова", "first_name": "Маргарита", "middle_name": "Олеговна",
     "email": "tarasova.mo@demo.local", "organization": "krd-gimn-44",
     "position": "Учитель английского языка, педагог-мастер", "subjects": "Английский язык",
     "years_experience": 14, "roles": []},
    {"key": "t-tim-1", "last_name": "Кудрявцев", "first_name": "Никита", "middle_name": "Алексеевич",
     "email": "kudryavtsev.na@demo.local", "organization": "tim-sosh-4", "position": "Учитель физики",
     "subjects": "Физика", "years_experience": 3, "roles": []},
    {"key": "t-tim-2", "last_name": "Лысенко", "first_name": "Алёна", "middle_name": "Викторовна",
     "email": "lysenko.av@demo.local", "organization": "tim-sosh-13", "position": "Учитель начальных классов",
     "subjects": "Начальные классы", "years_experience": 7, "roles": []},
    {"key": "t-tim-3", "last_name": "Степанова", "first_name": "Диана", "middle_name": "Руслановна",
     "email": "stepanova.dr@demo.local", "organization": "tim-ds-12", "position": "Воспитатель",
     "subjects": "", "years_experience": 1, "roles": []},
    {"key": "t-krym-1", "last_name": "Олейник", "first_name": "Вадим", "middle_name": "Сергеевич",
     "email": "oleynik.vs@demo.local", "organization": "krym-oosh-27", "position": "Учитель химии и биологии",
     "subjects": "Химия, биология", "years_experience": 5, "roles": []},
    {"key": "t-slav-1", "last_name": "Харченко", "first_name": "Людмила", "middle_name": "Павловна",
     "email": "kharchenko.lp@demo.local", "organization": "slav-sosh-5",
     "position": "Учитель математики, наставник", "subjects": "Математика", "years_experience": 31,
     "roles": []},
    {"key": "t-azov-1", "last_name": "Полякова", "first_name": "Евгения", "middle_name": "Андреевна",
     "email": "polyakova.ea@demo.local", "organization": "azov-sosh-16", "position": "Учитель информатики",
     "subjects": "Информатика", "years_experience": 2, "roles": []},
    {"key": "t-ber-1", "last_name": "Карпенко", "first_name": "Михаил", "middle_name": "Юрьевич",
     "email": "karpenko.myu@demo.local", "organization": "ber-sosh-2", "position": "Учитель технологии",
     "subjects": "Технология (труд)", "years_experience": 6, "roles": []},
    {"key": "t-udo-1", "last_name": "Мирошниченко", "first_name": "Алина", "middle_name": "Игоревна",
     "email": "miroshnichenko.ai@demo.local", "organization": "krd-cdt",
     "position": "Педагог дополнительного образования", "subjects": "Робототехника",
     "years_experience": 4, "roles": []},
]

SITES = [
    {"key": "site-tim-sosh1-metod",
     "name": "Стажировочная площадка «Формирование методических компетенций педагогов»",
     "kind": "internship", "level": "regional", "organization": "tim-sosh-1", "curator": "metod-tim",
     "directions": ["Методические компетенции", "Молодые педагоги и наставничество"],
     "programme": "Модуль 1. Нормативные основы профессиональной деятельности педагога: ФГОС, ФОП, "
                  "профессиональный стандарт (8 ч).\n"
                  "Модуль 2. Проектирование урока и рабочей программы: технологическая карта, "
                  "планируемые результаты (12 ч).\n"
                  "Модуль 3. Анализ и самоанализ урока: схемы и критерии (8 ч).\n"
                  "Модуль 4. Педагогическая мастерская: открытые уроки стажёров с педагогом-мастером (10 ч).\n"
                  "Модуль 5. Защита методического продукта и рефлексия по ИОМ (4 ч).",
     "description": "Школа имеет многолетний опыт работы краевой инновационной площадки и «Журнал непрерывного "
                    "профессионального роста» педагога. Площадка обучает молодых учителей (стаж до 3 лет) и их "
                    "наставников проектированию урока, анализу и самоанализу учебного занятия.",
     "order_number": "№ 2143", "order_date": "2025-08-29",
     "period_start": "2025-09-01", "period_end": "2026-12-31"},
    {"key": "site-tim-sosh2-proekt",
     "name": "Стажировочная площадка «Развитие проектно-исследовательских компетенций»",
     "kind": "internship", "level": "municipal", "organization": "tim-sosh-2", "curator": "metod-tim",
     "directions": ["Проектно-исследовательские компетенции"],
     "programme": "Модуль 1. Учебный проект и учебное исследование: типология, этапы, продукт (6 ч).\n"
                  "Модуль 2. Индивидуальный проект на уровне ООО и СОО: сопровождение и оценивание (10 ч).\n"
                  "Модуль 3. Деловая игра «Педагогическое проектирование» (6 ч).\n"
                  "Модуль 4. Стажировка в проектном офисе школы: консультирование обучающихся (12 ч).",
     "description": "В школе работает проектный офис, где каждый обучающийся 9 и 10 классов выполняет "
                    "индивидуальный проект с тьютором. Площадка учит педагогов сопровождать проекты и "
                    "исследования и оценивать их по единым критериям.",
     "order_number": "№ 612", "order_date": "2025-08-27",
     "period_start": "2025-09-01", "period_end": "2026-12-31"},
    {"key": "site-tim-sosh4-oko",
     "name": "Стажировочная площадка «Развитие компетенций педагогов в оценке качества образования»",
     "kind": "internship", "level": "municipal", "organization": "tim-sosh-4", "curator": "metod-tim",
     "directions": ["Оценка качества образования", "Качество подготовки обучающихся"],
     "programme": "Модуль 1. Внутренняя система оценки качества образования школы (6 ч).\n"
                  "Модуль 2. Критериальное оценивание и формирующая оценка на уроке (10 ч).\n"
                  "Модуль 3. Анализ результатов ВПР, ОГЭ, ЕГЭ и построение коррекционных планов (8 ч).\n"
                  "Модуль 4. Использование цифровых инструментов внутреннего мониторинга (6 ч).",
     "description": "Школа выстроила внутреннюю систему оценки качества с регулярным анализом результатов "
                    "ВПР и ОГЭ по каждому классу. Площадка обучает учителей-предметников и заместителей "
                    "директоров критериальному оцениванию и работе с результатами диагностик.",
     "order_number": "№ 612", "order_date": "2025-08-27",
     "period_start": "2025-09-01", "period_end": "2026-12-31"},
    {"key": "site-tim-sosh5-stupenki",
     "name": "Стажировочная площадка «Ступеньки успеха: психолого-педагогические компетенции»",
     "kind": "internship", "level": "municipal", "organization": "tim-sosh-5", "curator": "metod-tim",
     "directions": ["Психолого-педагогические компетенции", "Организация воспитания"],
     "programme": "Модуль 1. Возрастные и индивидуальные особенности обучающихся (6 ч).\n"
                  "Модуль 2. Конструктивное общение с детьми и родителями, разрешение конфликтов (8 ч).\n"
                  "Модуль 3. Профилактика профессионального выгорания: тренинги (6 ч).\n"
                  "Модуль 4. Работа с обучающимися с трудностями в обучении и поведении (8 ч).",
     "description": "Психологическая служба школы разработала программу «Ступеньки успеха» для сопровождения "
                    "обучающихся и педагогов. Площадка обучает классных руководителей и молодых педагогов "
                    "приёмам конструктивного общения и профилактике выгорания.",
     "order_number": "№ 612", "order_date": "2025-08-27",
     "period_start": "2025-09-01", "period_end": "2026-12-31"},
    {"key": "site-tim-sosh11-sdm",
     "name": "Стажировочная площадка «Системно-деятельностный метод обучения: методология, методика, практика»",
     "kind": "internship", "level": "municipal", "organization": "tim-sosh-11", "curator": "metod-tim",
     "directions": ["Системно-деятельностный метод", "Предметные компетенции"],
     "programme": "Модуль 1. Методология системно-деятельностного подхода (4 ч).\n"
                  "Модуль 2. Типология уроков в деятельностном подходе: урок открытия нового знания, "
                  "урок рефлексии (10 ч).\n"
                  "Модуль 3. Открытые уроки педагогов-мастеров и их анализ (8 ч).\n"
                  "Модуль 4. Проектирование и проведение собственного урока стажёром (8 ч).",
     "description": "Учителя начальных классов школы более десяти лет работают по технологии деятельностного "
                    "метода. Стажёры посещают уроки педагогов-мастеров, разбирают их структуру и проводят "
                    "собственный урок под наблюдением наставника.",
     "order_number": "№ 612", "order_date": "2025-08-27",
     "period_start": "2025-09-01", "period_end": "2026-12-31"},
    {"key": "site-krd-sosh12-ikt",
     "name": "Стажировочная площадка «Цифровая образовательная среда: ИКТ-компетенции педагога»",
     "kind": "internship", "level": "regional", "organization": "krd-sosh-12", "curator": "metod-krd",
     "directions": ["ИКТ-компетенции", "Методические компетенции"],
     "programme": "Модуль 1. Ресурсы ФГИС «Моя школа» и библиотеки цифрового образовательного контента (6 ч).\n"
                  "Модуль 2. Цифровые инструменты для урока: интерактивные задания, онлайн-опросы (8 ч).\n"
                  "Модуль 3. ИКТ для внутреннего мониторинга эффективности учебной деятельности (6 ч).\n"
                  "Модуль 4. Безопасная цифровая среда и дистанционное обучение (4 ч).\n"
                  "Модуль 5. Защита цифрового урока стажёра (4 ч).",
     "description": "Школа — пилотная площадка внедрения цифровой образовательной среды в городе. "
                    "Площадка обучает учителей-предметников и молодых педагогов использованию цифровых "
                    "сервисов на уроке и для мониторинга результатов.",
     "order_number": "№ 2143", "order_date": "2025-08-29",
     "period_start": "2025-09-01", "period_end": "2027-02-28"},
    {"key": "site-tim-sosh13-zdorov",
     "name": "Стажировочная площадка «Формирование здоровьесберегающих компетенций педагогов»",
     "kind": "internship", "level": "municipal", "organization": "tim-sosh-13", "curator": "metod-tim",
     "directions": ["Здоровьесберегающие технологии"],
     "programme": "Модуль 1. Здоровьесберегающая организация урока: санитарные нормы, смена видов деятельности (4 ч).\n"
                  "Модуль 2. Динамические паузы и подвижные перемены (6 ч).\n"
                  "Модуль 3. Педагогическая мастерская «Здоровьесберегающие технологии в педагогической практике» (6 ч).\n"
                  "Модуль 4. Программа школьного благополучия и работа с родителями (6 ч).",
     "description": "Сельская школа реализует комплексную программу «Школа здоровья» с подвижными переменами "
                    "и мониторингом утомляемости обучающихся. Площадка знакомит педагогов с приёмами "
                    "здоровьесберегающей организации урока.",
     "order_number": "№ 612", "order_date": "2025-08-27",
     "period_start": "2025-09-01", "period_end": "2026-12-31"},
    {"key": "site-krd-ds115-ppsr",
     "name": "Стажировочная площадка «Компетенции в области проектирования предметно-развивающей среды»",
     "kind": "internship", "level": "municipal", "organization": "krd-ds-115", "curator": "metod-krd",
     "directions": ["Предметно-развивающая среда ДОО", "Дошкольное образование"],
     "programme": "Модуль 1. Требования ФГОС ДО и ФОП ДО к развивающей предметно-пространственной среде (4 ч).\n"
                  "Модуль 2. Центры активности в группе: зонирование, трансформируемость, полифункциональность (8 ч).\n"
                  "Модуль 3. Среда как средство индивидуализации: участие детей в её проектировании (6 ч).\n"
                  "Модуль 4. Защита проекта среды своей группы (4 ч).",
     "description": "Детский сад создал в каждой группе трансформируемые центры активности и ведёт их оценку по "
                    "шкалам. Площадка обучает воспитателей, в том числе молодых, проектированию развивающей "
                    "предметно-пространственной среды.",
     "order_number": "№ 1877", "order_date": "2025-08-28",
     "period_start": "2025-09-01", "period_end": "2026-12-31"},
    {"key": "site-tim-ds7-ecers",
     "name": "Опорная площадка «Оценка качества дошкольного образования по шкалам ECERS-R»",
     "kind": "support", "level": "municipal", "organization": "tim-ds-7", "curator": "metod-tim",
     "directions": ["Оценка качества образования", "Дошкольное образование"],
     "programme": "Модуль 1. Шкалы ECERS-R: структура и показатели (4 ч).\n"
                  "Модуль 2. Самообследование группы по шкалам (6 ч).\n"
                  "Модуль 3. План улучшения образовательной среды ДОО (6 ч).",
     "description": "Детский сад апробировал комплексную систему оценки качества образования на основе шкалы "
                    "развивающей оценки образовательной среды. Опорная площадка помогает старшим воспитателям "
                    "и заведующим провести самообследование и составить план улучшений.",
     "order_number": "№ 612", "order_date": "2025-08-27",
     "period_start": "2025-09-01", "period_end": "2026-08-31"},
    {"key": "site-krd-gimn44-innov",
     "name": "Федеральная инновационная площадка «Сетевая модель наставничества "
             "„педагог — педагог“»",
     "kind": "innovation", "level": "federal", "organization": "krd-gimn-44", "curator": "metod-krd",
     "directions": ["Молодые педагоги и наставничество", "Инновационная деятельность",
                    "Профессиональное развитие педагогов"],
     "programme": "Модуль 1. Нормативная база и положение о наставничестве в образовательной организации (4 ч).\n"
                  "Модуль 2. Формы наставничества: индивидуальное, групповое, реверсивное, сетевое (8 ч).\n"
                  "Модуль 3. Диагностика дефицитов молодого педагога и построение ИОМ (8 ч).\n"
                  "Модуль 4. Открытые уроки пар «наставник — наставляемый» (6 ч).\n"
                  "Модуль 5. Оценка эффективности программы наставничества (4 ч).",
     "description": "Гимназия реализует инновационный проект сетевого наставничества, в котором опытные "
                    "учителя сопровождают молодых коллег из нескольких школ города. Площадка обучает "
                    "наставников и управленческие команды построению программ наставничества.",
     "order_number": "№ 1540", "order_date": "2025-06-30",
     "period_start": "2025-09-01", "period_end": "2027-08-31"},
    {"key": "site-krym-sosh3-mgmt",
     "name": "Стажировочная площадка управленческих команд «Система качества подготовки обучающихся»",
     "kind": "internship", "level": "municipal", "organization": "krym-sosh-3", "curator": "metod-krym",
     "directions": ["Эффективность руководителей", "Качество подготовки обучающихся",
                    "Школы с низкими образовательными результатами"],
     "programme": "Модуль 1. Мотивирующий мониторинг и SWOT-анализ образовательной организации (6 ч).\n"
                  "Модуль 2. Система работы с обучающимися с рисками учебной неуспешности (8 ч).\n"
                  "Модуль 3. Взаимная стажировка управленческих команд школ-лидеров и школ «скрытого резерва» (8 ч).\n"
                  "Модуль 4. Программа развития школы: от дефицитов к дорожной карте (6 ч).",
     "description": "Школа-лидер муниципалитета работает по модели взаимных стажировок управленческих команд. "
                    "Площадка представляет систему работы по качеству подготовки обучающихся и помогает школам "
                    "с низкими образовательными результатами составить дорожные карты.",
     "order_number": "№ 418", "order_date": "2025-09-05",
     "period_start": "2025-09-15", "period_end": "2026-12-31"},
    {"key": "site-krd-sosh12-fg",
     "name": "Консультационная площадка по вопросам формирования функциональной грамотности обучающихся",
     "kind": "consultation", "level": "municipal", "organization": "krd-sosh-12", "curator": "metod-krd",
     "directions": ["Предметные компетенции", "Качество подготовки обучающихся"],
     "programme": "Модуль 1. Функциональная грамотность: читательская, математическая, естественно-научная (4 ч).\n"
                  "Модуль 2. Банк заданий и конструирование учебных задач (6 ч).\n"
                  "Модуль 3. Аспектный анализ урока с позиции формирования функциональной грамотности (4 ч).",
     "description": "Консультационная площадка работает по запросам школ и отдельных педагогов. Учителя "
                    "школы-базы помогают коллегам разработать задания на функциональную грамотность и "
                    "разобрать результаты диагностик.",
     "order_number": "№ 1877", "order_date": "2025-08-28",
     "period_start": "2025-09-01", "period_end": "2027-08-31"},
    {"key": "site-tim-cro-krc",
     "name": "Краевой ресурсный центр «Научно-методическое сопровождение профессионального роста педагогов "
             "в условиях деятельности стажировочных площадок»",
     "kind": "resource_centre", "level": "regional", "organization": "tim-cro", "curator": None,
     "directions": ["Сетевое взаимодействие", "Профессиональное развитие педагогов",
                    "Диссеминация лучших практик"],
     "programme": "Модуль 1. Модель сети муниципальных стажировочных площадок: положение, приказ, программа (6 ч).\n"
                  "Модуль 2. Конструктор модульной программы стажировочной площадки (8 ч).\n"
                  "Модуль 3. Диагностика профессиональных дефицитов и ИОМ педагога (6 ч).\n"
                  "Модуль 4. Мониторинг эффективности деятельности площадок и обратная связь (6 ч).",
     "description": "Методическая служба района, получившая статус краевого ресурсного центра, транслирует модель "
                    "непрерывного повышения квалификации на базе стажировочных площадок. Центр обучает методистов "
                    "ТМС и руководителей площадок других муниципалитетов.",
     "order_number": "№ 3012", "order_date": "2025-08-15",
     "period_start": "2025-09-01", "period_end": "2027-08-31"},
    {"key": "site-ber-sosh1-profor",
     "name": "Стажировочная площадка «Самоопределение и профориентация обучающихся»",
     "kind": "internship", "level": "municipal", "organization": "ber-sosh-1", "curator": "metod-ber",
     "directions": ["Самоопределение и профориентация", "Организация воспитания"],
     "programme": "Модуль 1. Единая модель профориентации: базовый, основной и продвинутый уровни (4 ч).\n"
                  "Модуль 2. Конструктор программы профессионального самоопределения обучающихся (6 ч).\n"
                  "Модуль 3. Профессиональные пробы с предприятиями округа (6 ч).\n"
                  "Модуль 4. Экспресс-опросы и карта интересов обучающихся (4 ч).",
     "description": "Школа выстроила профориентационную работу с предприятиями округа и колледжами. "
                    "Площадка обучает классных руководителей и заместителей директоров по воспитательной "
                    "работе проектированию программы самоопределения обучающихся.",
     "order_number": "№ 245-од", "order_date": "2025-09-01",
     "period_start": "2025-09-15", "period_end": "2026-12-31"},
]

PLANS = [
    # ------------------------------------------------------------------------------------------------
    # Doc 002: programme 2025–2027, «Мероприятия программы» (39 rows, eight sections).
    # ------------------------------------------------------------------------------------------------
    {"key": "programme-2025-2027",
     "title": "План мероприятий муниципальной программы методического сопровождения непрерывного "
              "профессионального развития педагогических работников на 2025–2027 годы",
     "municipality": "krasnodar", "kind": "programme", "source": "002",
     "items": [
        # --- Выявление профессиональных дефицитов педагогических работников ---
        {"number": "1", "title": "Создание рабочей группы",
         "direction": "Выявление профессиональных дефицитов", "form": "Заседание координационного совета",
         "audiences": ["Методисты ТМС", "Управленческие команды"],
         "timing_text": "Январь 2025 г.", "expected_result": "Создана рабочая группа",
         "responsible": "Директор ЦРО", "status": "held", "site": None, "sessions": []},
        {"number": "2",
         "title": "Разработка и внедрение оценочных средств для диагностики профессиональных дефицитов "
                  "педагогических работников ОУ",
         "direction": "Выявление профессиональных дефицитов", "form": "Обучающий семинар",
         "audiences": ["Управленческие команды", "Методисты ТМС"],
         "timing_text": "2025 – 2027 гг.",
         "expected_result": "Возможность установления уровня владения педагогическими работниками "
                            "профессиональными компетенциями в соответствии с Профстандартом",
         "responsible": "Рабочая группа ЦРО", "status": "planned", "site": None,
         "sessions": [
            {"month": 10, "day": 8, "start": "14:00", "hours": 2, "site": None, "delivery": "online",
             "capacity": 100, "approval_required": False,
             "title": "Вебинар «Оценочные средства для диагностики профессиональных дефицитов»",
             "description": "Представим комплект диагностических методик и порядок его использования в школе. "
                            "Заместители директоров получат инструкцию по проведению диагностики и шаблон "
                            "сводной таблицы результатов.",
             "materials": [("Комплект диагностических методик", "https://example.org/materials/diagnostika-komplekt.pdf")]},
         ]},
        {"number": "3",
         "title": "Организация и проведение методического аудита по установлению уровня владения "
                  "педагогическими работниками образовательных учреждений города профессиональными компетенциями",
         "direction": "Выявление профессиональных дефицитов", "form": "Установочный семинар",
         "audiences": ["Управленческие команды"],
         "timing_text": "Апрель - май ежегодно",
         "expected_result": "Аналитические справки с учетом динамики изменений соответствия компетентностей "
                            "Профстандарту",
         "responsible": "Методист ЦРО", "status": "planned", "site": None,
         "sessions": [
            {"month": 5, "day": 13, "start": "10:00", "hours": 2, "site": None, "delivery": "blended",
             "capacity": 60, "approval_required": False,
             "title": "Установочный семинар перед методическим аудитом",
             "description": "Разберём процедуру аудита, сроки и формы аналитических справок. Каждой школе "
                            "нужно направить одного заместителя директора; возьмите с собой прошлогоднюю справку.",
             "materials": []},
         ]},
        {"number": "4",
         "title": "Организация и проведение обучающих семинаров для управленческих команд на основе выявленных "
                  "профессиональных дефицитов",
         "direction": "Выявление профессиональных дефицитов", "form": "Обучающий семинар",
         "audiences": ["Управленческие команды"],
         "timing_text": "Ежегодно",
         "expected_result": "Повышение уровня методической компетентности управленческих команд, получивших "
                            "адресную методическую помощь",
         "responsible": "Методист ЦРО", "status": "planned", "site": None,
         "sessions": [
            {"month": 2, "day": 11, "start": "10:00", "hours": 3, "site": "site-krd-gimn44-innov",
             "delivery": "in_person", "capacity": 40, "approval_required": True,
             "title": "Обучающий семинар «От выявленного дефицита — к адресной помощи педагогу»",
             "description": "Для управленческих команд школ, у которых по итогам диагностики выявлены дефициты "
                            "в методической компетенции. Команды составят план адресной помощи своим педагогам; "
                            "принесите результаты диагностики школы.",
             "materials": []},
         ]},
        # --- Построение ИОМ ---
        {"number": "5",
         "title": "Разработка методических рекомендаций по составлению и реализации индивидуального "
                  "образовательного маршрута педагога",
         "direction": "Построение ИОМ", "form": "Заседание координационного совета",
         "audiences": ["Методисты ТМС"],
         "timing_text": "2025 – 2027 гг.",
         "expected_result": "Разработаны методические рекомендации по составлению и реализации индивидуального "
                            "образовательного маршрута",
         "responsible": "Рабочая группа ЦРО", "status": "planned", "site": None, "sessions": []},
        {"number": "6",
         "title": "Мастер-класс «Методическое сопровождение педагогов дошкольного учреждения с целью развития их "
                  "профессиональных компетенций, как средство повышения качества и эффективности "
                  "образовательного процесса по ФГОС»",
         "direction": "Построение ИОМ", "form": "Мастер-класс",
         "audiences": ["Педагоги ДОУ"],
         "timing_text": "Сентябрь 2026 г.",
         "expected_result": "Представлена лучшая практика методического сопровождения педагогов ДОУ",
         "responsible": "Старший воспитатель МБДОУ д/с № 115", "status": "planned",
         "site": "site-krd-ds115-ppsr", "sessions": []},
        {"number": "7",
         "title": "Организация и проведение практико-ориентированных семинаров для управленческих команд ОУ по "
                  "формированию методических систем обеспечения профессионального развития педагогических "
                  "кадров на основе ИОМ",
         "direction": "Построение ИОМ", "form": "Практико-ориентированный семинар",
         "audiences": ["Управленческие команды"],
         "timing_text": "Ежегодно",
         "expected_result": "Выявлены лучшие практики методических систем ОУ по сопровождению профессионального "
                            "развития педагогических кадров на основе ИОМ. Увеличение охвата педагогических "
                            "работников различными формами методической работы",
         "responsible": "Методист ЦРО", "status": "planned", "site": None,
         "sessions": [
            {"month": 11, "day": 13, "start": "10:00", "hours": 3, "site": "site-krd-gimn44-innov",
             "delivery": "in_person", "capacity": 35, "approval_required": True,
             "title": "Семинар «ИОМ педагога в методической системе школы»",
             "description": "Гимназия покажет, как ИОМ педагогов связаны с планом методической работы и "
                            "наставничеством. Участники разберут три реальных маршрута и составят схему для своей школы.",
             "materials": [("Шаблон индивидуального образовательного маршрута", "https://example.org/materials/iom-shablon.docx")]},
            {"month": 3, "day": 18, "start": "10:00", "hours": 3, "site": "site-krd-sosh12-ikt",
             "delivery": "in_person", "capacity": 35, "approval_required": True,
             "title": "Семинар «Цифровой след ИОМ: учёт профессионального роста педагога»",
             "description": "Покажем, как вести журнал профессионального роста и учитывать часы стажировок "
                            "в электронном виде. Нужен ноутбук с доступом в интернет.",
             "materials": []},
         ]},
        {"number": "8",
         "title": "Повышение квалификации педагогических работников по программам дополнительного "
                  "профессионального образования",
         "direction": "Построение ИОМ", "form": "Вебинар",
         "audiences": ["Учителя-предметники", "Молодые педагоги"],
         "timing_text": "В течение учебного года ежегодно",
         "expected_result": "Обучение на курсах повышения квалификации муниципального, регионального, "
                            "федерального уровней",
         "responsible": "Методист ЦРО по повышению квалификации", "status": "planned", "site": None,
         "sessions": [
            {"month": 6, "day": 10, "start": "15:00", "hours": 1, "site": None, "delivery": "online",
             "capacity": 120, "approval_required": False,
             "title": "Вебинар «Навигатор курсов повышения квалификации на следующий учебный год»",
             "description": "Расскажем о федеральном реестре программ ДПО и о том, как выбрать курсы под свой "
                            "ИОМ. Подключение по ссылке, которая придёт после регистрации.",
             "materials": []},
         ]},
        {"number": "9",
         "title": "Групповые и индивидуальные консультации для педагогических работников по актуальным проблемам "
                  "педагогической практики",
         "direction": "Построение ИОМ", "form": "Дистанционная консультация",
         "audiences": ["Учителя-предметники", "Молодые педагоги"],
         "timing_text": "В течение учебного года ежегодно",
         "expected_result": "Оказана адресная методическая помощь педагогам",
         "responsible": "Методисты ЦРО", "status": "planned", "site": None,
         "sessions": [
            {"month": 2, "day": 4, "start": "16:00", "hours": 1, "site": None, "delivery": "online",
             "capacity": 30, "approval_required": False,
             "title": "Онлайн-консультация «Как подготовиться к аттестации на квалификационную категорию»",
             "description": "Методист ответит на вопросы об аттестации и портфолио. Вопросы можно прислать "
                            "заранее в комментарии к заявке.",
             "materials": []},
         ]},
        {"number": "10",
         "title": "Психолого-педагогические тренинги по профилактике профессионального выгорания",
         "direction": "Построение ИОМ", "form": "Тренинг",
         "audiences": ["Учителя-предметники", "Классные руководители"],
         "timing_text": "Декабрь, апрель ежегодно",
         "expected_result": "Снижение эмоционального напряжения у педагогов, повышение стрессоустойчивости, "
                            "сохранение психологического здоровья опытных педагогов",
         "responsible": "Педагоги-психологи", "status": "planned", "site": None,
         "sessions": [
            {"month": 12, "day": 10, "start": "15:00", "hours": 2, "site": None, "delivery": "in_person",
             "capacity": 20, "approval_required": False,
             "title": "Тренинг «Ресурсное состояние педагога»",
             "description": "Практические упражнения на саморегуляцию и восстановление. Удобная одежда, группа "
                            "не больше 20 человек.",
             "materials": []},
            {"month": 4, "day": 22, "start": "15:00", "hours": 2, "site": None, "delivery": "in_person",
             "capacity": 20, "approval_required": False,
             "title": "Тренинг «Профилактика профессионального выгорания: работа с напряжением»",
             "description": "Вторая встреча цикла: техники снижения стресса в конце учебного года. "
                            "Можно прийти и без участия в декабрьском тренинге.",
             "materials": []},
         ]},
        # --- Инновационная деятельность ---
        {"number": "11",
         "title": "Организация участия управленческих команд и педагогов в осмыслении собственного "
                  "педагогического опыта через осуществление инновационной деятельности развития "
                  "образовательного процесса",
         "direction": "Инновационная деятельность", "form": "Дискуссионная площадка",
         "audiences": ["Управленческие команды"],
         "timing_text": "Январь (ежегодно)",
         "expected_result": "Разработаны пути реализации и апробации инноваций ОУ, определен инновационный "
                            "потенциал педагогов, участников инновационных процессов",
         "responsible": "Методист ЦРО по инновационной деятельности", "status": "planned",
         "site": "site-krd-gimn44-innov",
         "sessions": [
            {"month": 1, "day": 28, "start": "14:00", "hours": 2, "site": "site-krd-gimn44-innov",
             "delivery": "in_person", "capacity": 40, "approval_required": False,
             "title": "Дискуссионная площадка «Инновационный потенциал школы: с чего начать»",
             "description": "Руководители инновационных площадок расскажут о первом годе проекта. "
                            "Команды школ обсудят идеи будущих проектов в малых группах.",
             "materials": []},
         ]},
        {"number": "12",
         "title": "Методическое сопровождение педагогов, участников профессиональных конкурсов, "
                  "семинаров-практикумов, проведения открытых уроков",
         "direction": "Инновационная деятельность", "form": "Открытый урок",
         "audiences": ["Учителя-предметники", "Молодые педагоги"],
         "timing_text": "В течение года (ежегодно)",
         "expected_result": "Наличие победителей и призеров муниципальных, региональных и всероссийских конкурсов "
                            "профессионального мастерства",
         "responsible": "Методисты ЦРО", "status": "planned", "site": None,
         "sessions": [
            {"month": 11, "day": 25, "start": "09:00", "hours": 3, "site": "site-krd-gimn44-innov",
             "delivery": "in_person", "capacity": 25, "approval_required": False,
             "title": "Открытые уроки участников конкурса «Учитель года»",
             "description": "Три открытых урока финалистов прошлого года и разбор их конструкции. "
                            "Сменная обувь обязательна, вход по списку.",
             "materials": []},
         ]},
        {"number": "13",
         "title": "Управление (методическое и научно-методическое сопровождение) инновационных процессов, "
                  "направленное на обеспечение развития образовательного учреждения: учёт и систематизация "
                  "инновационной деятельности; контроль за ходом и результатами внедрения педагогических "
                  "инноваций; мероприятия для участников инновационной деятельности; обобщение опыта; "
                  "проблемно-ориентированный анализ результатов инноваций",
         "direction": "Инновационная деятельность", "form": "Групповая консультация",
         "audiences": ["Управленческие команды"],
         "timing_text": "В течение учебного года",
         "expected_result": "Разработаны инновационные проекты, программы. Обобщён опыт деятельности инновационных "
                            "площадок. Аналитическая справка по результатам инноваций",
         "responsible": "Методист ЦРО по инновационной деятельности", "status": "planned", "site": None,
         "sessions": [
            {"month": 11, "day": 10, "start": "15:00", "hours": 2, "site": None, "delivery": "online",
             "capacity": 30, "approval_required": False,
             "title": "Консультация для руководителей инновационных площадок: промежуточный отчёт",
             "description": "Разберём форму промежуточного отчёта и типичные ошибки в описании результатов. "
                            "Подготовьте черновик отчёта.",
             "materials": []},
         ]},
        {"number": "14",
         "title": "Проведение анкетирования педагогических работников: удовлетворенность методической помощью",
         "direction": "Инновационная деятельность", "form": "Вебинар",
         "audiences": ["Учителя-предметники", "Педагоги ДОУ"],
         "timing_text": "Ноябрь ежегодно",
         "expected_result": "Динамика степени удовлетворённости педагогов методической помощью",
         "responsible": "Методист ЦРО", "status": "held", "site": None,
         "sessions": [
            {"month": 11, "day": 17, "start": "16:00", "hours": 1, "site": None, "delivery": "online",
             "capacity": 120, "approval_required": False,
             "title": "Онлайн-анкетирование «Удовлетворённость методической помощью»",
             "description": "Короткая онлайн-встреча: зачем нужна анкета и как будут использованы результаты, "
                            "затем заполнение анкеты. Анкета анонимная.",
             "materials": []},
         ]},
        # --- Совершенствование предметных компетенций ---
        {"number": "15",
         "title": "Создание консультационных площадок по вопросам формирования функциональной грамотности "
                  "обучающихся и по реализации Концепций преподавания учебных предметов (предметных областей)",
         "direction": "Предметные компетенции", "form": "Групповая консультация",
         "audiences": ["Учителя-предметники"],
         "timing_text": "Постоянно по запросам",
         "expected_result": "Устранены дефициты знаний педагогов",
         "responsible": "Руководитель консультационной площадки", "status": "planned",
         "site": "site-krd-sosh12-fg",
         "sessions": [
            {"month": 10, "day": 22, "start": "15:00", "hours": 2, "site": "site-krd-sosh12-fg",
             "delivery": "in_person", "capacity": 20, "approval_required": False,
             "title": "Консультация «Задания на читательскую грамотность в 5–7 классах»",
             "description": "Разберём задания из открытого банка и адаптируем их к своим урокам. "
                            "Принесите учебник, по которому работаете.",
             "materials": [("Схема аспектного анализа урока", "https://example.org/materials/aspektnyi-analiz.pdf")]},
         ]},
        {"number": "16",
         "title": "Координация реализации Концепций преподавания учебных предметов (предметных областей) через "
                  "деятельность районных методических объединений (в том числе РМО учителей ИЗО, музыки, "
                  "технологии, ОБЗР) и ШМО общеобразовательных учреждений",
         "direction": "Предметные компетенции", "form": "Заседание РМО",
         "audiences": ["Учителя-предметники"],
         "timing_text": "2025- 2027гг",
         "expected_result": "Эффективная реализация муниципальной дорожной карты реализации концепций учебных "
                            "предметов; положительная динамика сформированности методической, предметной, "
                            "оценочной компетентности педагогов",
         "responsible": "Руководители РМО", "status": "planned", "site": None,
         "sessions": [
            {"month": 9, "day": 25, "start": "14:30", "hours": 2, "site": None, "delivery": "in_person",
             "capacity": 80, "approval_required": False,
             "title": "Установочные заседания РМО учителей-предметников",
             "description": "Заседания проходят параллельно по предметам: план работы РМО на год, "
                            "дорожная карта концепций. Аудитории указаны в рассылке.",
             "materials": []},
         ]},
        {"number": "17",
         "title": "Сопровождение системы оценки качества подготовки обучающихся. Мониторинг предметной "
                  "обученности 4–8 классы (ВПР)",
         "direction": "Предметные компетенции", "form": "Семинар",
         "audiences": ["Учителя-предметники"],
         "timing_text": "Март-май (ежегодно)",
         "expected_result": "Анализ качества образования",
         "responsible": "Методист ЦРО по оценке качества", "status": "planned", "site": None,
         "sessions": [
            {"month": 3, "day": 11, "start": "14:00", "hours": 2, "site": None, "delivery": "online",
             "capacity": 120, "approval_required": False,
             "title": "Вебинар «ВПР-2026: изменения и организация проведения»",
             "description": "Изменения в демоверсиях и в порядке проведения ВПР. Ссылка на трансляцию "
                            "придёт после регистрации.",
             "materials": []},
         ]},
        {"number": "18",
         "title": "Методическое сопровождение реализации плана мероприятий, направленного на формирование и "
                  "оценку функциональной грамотности обучающихся общеобразовательных организаций",
         "direction": "Предметные компетенции", "form": "Семинар-практикум",
         "audiences": ["Учителя-предметники"],
         "timing_text": "2025-2027 гг.",
         "expected_result": "Разработан и реализован план формирования функциональной грамотности школьников "
                            "в составе дорожной карты реализации концепций учебных предметов",
         "responsible": "Руководитель консультационной площадки", "status": "planned",
         "site": "site-krd-sosh12-fg",
         "sessions": [
            {"month": 12, "day": 3, "start": "14:00", "hours": 3, "site": "site-krd-sosh12-fg",
             "delivery": "in_person", "capacity": 30, "approval_required": False,
             "title": "Семинар-практикум «Математическая грамотность: контекстные задачи на уроке»",
             "description": "Учителя математики составят контекстные задачи по своей теме и обменяются ими. "
                            "Возьмите план ближайшей темы.",
             "materials": []},
         ]},
        {"number": "19",
         "title": "Экспертиза соответствия структуры и содержания ООП ДОО требованиям ФГОС ДО, мониторинг "
                  "качества дошкольного образования в ДОО",
         "direction": "Предметные компетенции", "form": "Групповая консультация",
         "audiences": ["Педагоги ДОУ", "Управленческие команды"],
         "timing_text": "2025-2027гг.",
         "expected_result": "Аналитическая справка. ООП ДОО всех ДОУ района соответствуют требованиям "
                            "примерной образовательной программы",
         "responsible": "Методист ЦРО по дошкольному образованию", "status": "planned", "site": None,
         "sessions": []},
        {"number": "20",
         "title": "Методическое сопровождение апробации примерных рабочих программ по общеобразовательным "
                  "предметам",
         "direction": "Предметные компетенции", "form": "Заседание РМО",
         "audiences": ["Учителя-предметники"],
         "timing_text": "2025-2027гг.",
         "expected_result": "Апробированы примерные рабочие программы начальной школы и основного общего образования",
         "responsible": "Руководители РМО", "status": "planned", "site": None, "sessions": []},
        {"number": "21",
         "title": "Методическое сопровождение апробации УМК, программ, учебных модулей учебно-методических "
                  "отделов ведущих издательств России на территории района",
         "direction": "Предметные компетенции", "form": "Вебинар",
         "audiences": ["Учителя-предметники"],
         "timing_text": "Постоянно 2025-2027 гг.",
         "expected_result": "Положительная динамика профессионально-личностного развития педагогов, их предметных "
                            "компетенций",
         "responsible": "Методисты ЦРО", "status": "planned", "site": None,
         "sessions": [
            {"month": 3, "day": 25, "start": "15:00", "hours": 1, "site": None, "delivery": "online",
             "capacity": 100, "approval_required": False,
             "title": "Вебинар «Апробация новых УМК по истории: первые итоги»",
             "description": "Учителя школ-апробантов поделятся опытом работы с новыми учебниками. "
                            "Вопросы авторам можно задать в чате.",
             "materials": []},
         ]},
        {"number": "22",
         "title": "Мониторинговое исследование качества подготовки обучающихся на уровне основного общего "
                  "образования (математика) 9 класс",
         "direction": "Предметные компетенции", "form": "Семинар",
         "audiences": ["Учителя-предметники"],
         "timing_text": "Февраль Ноябрь (ежегодно)",
         "expected_result": "Анализ качества образования",
         "responsible": "Руководитель РМО учителей математики", "status": "planned", "site": None,
         "sessions": [
            {"month": 11, "day": 6, "start": "14:30", "hours": 2, "site": "site-krd-sosh12-fg",
             "delivery": "in_person", "capacity": 40, "approval_required": False,
             "title": "Семинар по итогам ноябрьского мониторинга по математике в 9 классах",
             "description": "Разбор типичных ошибок и заданий с низким процентом выполнения. "
                            "Принесите результаты своих классов.",
             "materials": []},
         ]},
        {"number": "23",
         "title": "Мониторинговое исследование качества подготовки обучающихся на уровне основного общего "
                  "образования (русский язык, предметы по выбору обучающихся)",
         "direction": "Предметные компетенции", "form": "Семинар",
         "audiences": ["Учителя-предметники"],
         "timing_text": "Март, декабрь ежегодно",
         "expected_result": "Анализ качества обучения на уровне ООО",
         "responsible": "Руководитель РМО учителей русского языка", "status": "planned", "site": None,
         "sessions": [
            {"month": 12, "day": 17, "start": "14:30", "hours": 2, "site": None, "delivery": "blended",
             "capacity": 60, "approval_required": False,
             "title": "Семинар по итогам декабрьского мониторинга по русскому языку",
             "description": "Анализ результатов мониторинга в 9 классах и план коррекционной работы. "
                            "Можно участвовать очно или по ссылке.",
             "materials": []},
         ]},
        {"number": "24",
         "title": "Мониторинговое исследование качества подготовки обучающихся на уровне среднего общего "
                  "образования (математика) 11 класс",
         "direction": "Предметные компетенции", "form": "Семинар",
         "audiences": ["Учителя-предметники"],
         "timing_text": "Февраль ежегодно",
         "expected_result": "Анализ качества обучения математике на уровне СОО",
         "responsible": "Руководитель РМО учителей математики", "status": "planned", "site": None,
         "sessions": [
            {"month": 2, "day": 18, "start": "14:30", "hours": 2, "site": None, "delivery": "in_person",
             "capacity": 40, "approval_required": False,
             "title": "Семинар по итогам февральского мониторинга по математике в 11 классах",
             "description": "Результаты профильного и базового уровней, задания второй части. "
                            "Возьмите протоколы своих классов.",
             "materials": []},
         ]},
        {"number": "25", "title": "Анализ результатов ВПР, ОГЭ, ЕГЭ",
         "direction": "Предметные компетенции", "form": "Семинар",
         "audiences": ["Управленческие команды", "Учителя-предметники"],
         "timing_text": "Август, сентябрь ежегодно",
         "expected_result": "Достижение целевых показателей",
         "responsible": "Отдел оценки качества ЦРО", "status": "planned", "site": None,
         "sessions": [
            {"month": 9, "day": 10, "start": "10:00", "hours": 3, "site": None, "delivery": "in_person",
             "capacity": 100, "approval_required": False,
             "title": "Семинар «Итоги ГИА-2025: выводы для школ»",
             "description": "Анализ результатов ОГЭ и ЕГЭ по городу и по школам. Управленческие команды "
                            "получат сводные таблицы по своей школе.",
             "materials": [("Аналитический отчёт по итогам ГИА", "https://example.org/materials/gia-analiz.pdf")]},
            {"month": 8, "day": 26, "start": "10:00", "hours": 3, "site": None, "delivery": "blended",
             "capacity": 120, "approval_required": False,
             "title": "Секция августовского совещания «Анализ результатов ВПР, ОГЭ, ЕГЭ»",
             "description": "Предварительные итоги ГИА-2026 и задачи на новый учебный год. "
                            "Очное участие для руководителей, трансляция для педагогов.",
             "materials": []},
         ]},
        {"number": "26",
         "title": "Оказание методической помощи в разработке дорожной карты общеобразовательного учреждения с "
                  "низкими образовательными результатами обучающихся (ШНОР)",
         "direction": "Школы с низкими образовательными результатами", "form": "Индивидуальная консультация",
         "audiences": ["Управленческие команды"],
         "timing_text": "2025- 2027гг.",
         "expected_result": "Разработана дорожная карта ШНОР по оказанию адресной помощи по использованию "
                            "современных образовательных технологий обучения сложных категорий учащихся",
         "responsible": "Методист ЦРО, куратор ШНОР", "status": "held", "site": None,
         "sessions": [
            {"month": 10, "day": 15, "start": "14:00", "hours": 2, "site": None, "delivery": "in_person",
             "capacity": 10, "approval_required": True,
             "title": "Консультация для команды МБОУ СОШ № 71 по дорожной карте",
             "description": "Работа с управленческой командой школы над дорожной картой на текущий год. "
                            "Участвуют директор, заместители и руководители ШМО.",
             "materials": []},
         ]},
        # --- Дошкольное образование ---
        {"number": "27",
         "title": "Проектирование образовательного процесса в ДОУ в условиях вариативности образовательных программ",
         "direction": "Дошкольное образование", "form": "Семинар-практикум",
         "audiences": ["Педагоги ДОУ"],
         "timing_text": "2025- 2027гг.",
         "expected_result": "Создана база практик реализуемых комплексных программ, способствующих "
                            "совершенствованию профессиональной квалификации педагогов",
         "responsible": "Методист ЦРО по дошкольному образованию", "status": "held",
         "site": "site-krd-ds115-ppsr",
         "sessions": [
            {"month": 11, "day": 20, "start": "13:30", "hours": 2, "site": "site-krd-ds115-ppsr",
             "delivery": "in_person", "capacity": 30, "approval_required": False,
             "title": "Семинар-практикум «Планирование образовательной деятельности по ФОП ДО»",
             "description": "Разбор комплексно-тематического планирования на примере старшей группы. "
                            "Возьмите план своей группы на месяц.",
             "materials": []},
         ]},
        {"number": "28",
         "title": "Организация межмуниципального сотрудничества по вопросам проектной и исследовательской "
                  "компетентности педагогов",
         "direction": "Дошкольное образование", "form": "Круглый стол",
         "audiences": ["Педагоги ДОУ", "Методисты ТМС"],
         "timing_text": "В течение 2027 года",
         "expected_result": "Обобщен опыт межмуниципального сотрудничества по вопросам проектной и "
                            "исследовательской компетентности педагогов",
         "responsible": "Директор ЦРО", "status": "planned", "site": None, "sessions": []},
        {"number": "29",
         "title": "Разработка модели методического сопровождения профессионального роста педагогов дошкольного "
                  "образования",
         "direction": "Дошкольное образование", "form": "Модельный семинар",
         "audiences": ["Педагоги ДОУ", "Управленческие команды"],
         "timing_text": "2026г.",
         "expected_result": "Создана и функционирует модель сопровождения профессионального роста педагогов "
                            "дошкольного образования",
         "responsible": "Методист ЦРО по дошкольному образованию", "status": "planned", "site": None,
         "sessions": [
            {"month": 4, "day": 8, "start": "13:30", "hours": 3, "site": "site-krd-ds115-ppsr",
             "delivery": "in_person", "capacity": 40, "approval_required": False,
             "title": "Модельный семинар «Модель сопровождения профессионального роста педагога ДОО»",
             "description": "Представление проекта модели и её обсуждение с заведующими и старшими "
                            "воспитателями. Предложения принимаются до конца апреля.",
             "materials": []},
         ]},
        {"number": "30",
         "title": "План мероприятий по обеспечению преемственности дошкольного и начального общего образования",
         "direction": "Дошкольное образование", "form": "Круглый стол",
         "audiences": ["Педагоги ДОУ", "Учителя-предметники"],
         "timing_text": "Ежегодно 2025- 2027гг.",
         "expected_result": "Утвержден план работы ДОУ и СОШ по обеспечению преемственности дошкольного и "
                            "начального общего образования",
         "responsible": "Методист ЦРО по дошкольному образованию", "status": "planned", "site": None,
         "sessions": [
            {"month": 1, "day": 21, "start": "14:00", "hours": 2, "site": None, "delivery": "in_person",
             "capacity": 50, "approval_required": False,
             "title": "Круглый стол «Детский сад — школа: преемственность без разрывов»",
             "description": "Воспитатели подготовительных групп и учителя первых классов обсудят общие "
                            "требования к готовности к школе и план совместных мероприятий.",
             "materials": []},
         ]},
        # --- Молодые педагоги и наставничество ---
        {"number": "31",
         "title": "Организационно-методическое сопровождение «Школы молодого воспитателя»",
         "direction": "Молодые педагоги и наставничество", "form": "Занятие на стажировочной площадке",
         "audiences": ["Молодые педагоги", "Педагоги ДОУ"],
         "timing_text": "2025- 2027гг..",
         "expected_result": "Повышение уровня профессиональных компетенций молодых педагогов, их социальной активности",
         "responsible": "Методист ЦРО по дошкольному образованию", "status": "planned",
         "site": "site-krd-ds115-ppsr",
         "sessions": [
            {"month": 10, "day": 29, "start": "13:30", "hours": 2, "site": "site-krd-ds115-ppsr",
             "delivery": "in_person", "capacity": 25, "approval_required": False,
             "title": "Школа молодого воспитателя: занятие 1 «Режимные моменты как образовательная ситуация»",
             "description": "Молодые воспитатели посмотрят утренний круг и разберут его с наставником. "
                            "Сменная обувь обязательна.",
             "materials": []},
         ]},
        {"number": "32", "title": "Методический семинар «Развитие дивергентного мышления молодых педагогов»",
         "direction": "Молодые педагоги и наставничество", "form": "Семинар",
         "audiences": ["Молодые педагоги"],
         "timing_text": "2026г.",
         "expected_result": "Представлены молодыми педагогами коллективные уникальные профессиональные идеи",
         "responsible": "Совет молодых педагогов", "status": "planned", "site": None, "sessions": []},
        # --- Сетевое взаимодействие ---
        {"number": "33",
         "title": "Методическое сопровождение развития сетевых форм взаимодействия педагогических работников и "
                  "руководителей ОУ",
         "direction": "Сетевое взаимодействие", "form": "Вебинар",
         "audiences": ["Управленческие команды", "Учителя-предметники"],
         "timing_text": "Постоянно В течение 2025- 2027гг.",
         "expected_result": "Создано единое районное информационное пространство для непрерывного "
                            "профессионального развития педагогов",
         "responsible": "Методист ЦРО", "status": "planned", "site": None,
         "sessions": [
            {"month": 10, "day": 1, "start": "15:00", "hours": 1, "site": None, "delivery": "online",
             "capacity": 120, "approval_required": False,
             "title": "Вебинар «Сетевые сообщества педагогов: как присоединиться»",
             "description": "Обзор городских сетевых сообществ и порядок регистрации в них. "
                            "Подключение по ссылке после регистрации.",
             "materials": []},
         ]},
        {"number": "34",
         "title": "Методическое сопровождение сетевого сообщества «Мастерская классного руководителя» по вопросам "
                  "внедрения и оценки эффективности рабочих программ воспитания",
         "direction": "Сетевое взаимодействие", "form": "Педагогическая мастерская",
         "audiences": ["Классные руководители"],
         "timing_text": "2025- 2027гг.",
         "expected_result": "Функционирует сетевое сообщество по вопросам воспитания",
         "responsible": "Методист ЦРО по воспитательной работе", "status": "planned", "site": None,
         "sessions": [
            {"month": 11, "day": 27, "start": "15:00", "hours": 2, "site": None, "delivery": "blended",
             "capacity": 50, "approval_required": False,
             "title": "Мастерская классного руководителя: оценка эффективности программы воспитания",
             "description": "Разберём инструменты самоанализа воспитательной работы класса. "
                            "Можно участвовать очно или подключиться онлайн.",
             "materials": []},
         ]},
        {"number": "35",
         "title": "Оказание методической помощи по вопросу «Совершенствование уровня педагогического мастерства и "
                  "информационной культуры учителя как условие обеспечения нового качественного образования "
                  "при реализации ФГОС»",
         "direction": "Сетевое взаимодействие", "form": "Групповая консультация",
         "audiences": ["Учителя-предметники"],
         "timing_text": "2025- 2027гг.",
         "expected_result": "Изучение и осмысление содержания и требований обновленных ФГОС",
         "responsible": "Методисты ЦРО", "status": "held", "site": None,
         "sessions": [
            {"month": 9, "day": 17, "start": "15:00", "hours": 2, "site": "site-krd-sosh12-ikt",
             "delivery": "in_person", "capacity": 25, "approval_required": False,
             "title": "Консультация «Рабочая программа по обновлённым ФГОС в конструкторе»",
             "description": "Помощь в работе с федеральным конструктором рабочих программ. "
                            "Возьмите ноутбук и данные для входа.",
             "materials": []},
         ]},
        {"number": "36", "title": "Сетевое взаимодействие с региональными методическими объединениями РУМО",
         "direction": "Сетевое взаимодействие", "form": "Заседание РМО",
         "audiences": ["Методисты ТМС", "Учителя-предметники"],
         "timing_text": "2025- 2027гг.",
         "expected_result": "Активное участие в деятельности РУМО",
         "responsible": "Руководители РМО", "status": "planned", "site": None, "sessions": []},
        {"number": "37",
         "title": "Проведение анализа и оценки комплекса мер, направленных на преодоление факторов академической "
                  "неуспешности обучающихся",
         "direction": "Школы с низкими образовательными результатами", "form": "Круглый стол",
         "audiences": ["Управленческие команды"],
         "timing_text": "Ноябрь - декабрь, ежегодно",
         "expected_result": "Достижение целевых показателей",
         "responsible": "Методист ЦРО, куратор ШНОР", "status": "moved", "site": None,
         "sessions": [
            {"month": 12, "day": 9, "start": "14:00", "hours": 2, "site": None, "delivery": "in_person",
             "capacity": 30, "approval_required": True,
             "title": "Круглый стол «Академическая неуспешность: что сработало в этом году»",
             "description": "Перенесён с ноября на декабрь. Школы с низкими результатами представят "
                            "итоги мер поддержки; подготовьте 5-минутное сообщение.",
             "materials": []},
         ]},
        # --- Диссеминация опыта лучших образовательных практик ---
        {"number": "38", "title": "Обобщение педагогического опыта",
         "direction": "Диссеминация лучших практик", "form": "Педагогическая гостиная",
         "audiences": ["Учителя-предметники"],
         "timing_text": "Февраль ежегодно",
         "expected_result": "Представлен опыт работы педагогов",
         "responsible": "Методист ЦРО", "status": "planned", "site": None, "sessions": []},
        {"number": "39", "title": "Муниципальные конкурсы профессионального мастерства",
         "direction": "Диссеминация лучших практик", "form": "Конкурс",
         "audiences": ["Учителя-предметники", "Молодые педагоги"],
         "timing_text": "ежегодно",
         "expected_result": "Создан банк лучших педагогических практик",
         "responsible": "Оргкомитет конкурса, ЦРО", "status": "planned", "site": None,
         "sessions": [
            {"month": 1, "day": 14, "start": "10:00", "hours": 4, "site": "site-krd-gimn44-innov",
             "delivery": "in_person", "capacity": 60, "approval_required": True,
             "title": "Муниципальный этап конкурса «Учитель года»: открытие и конкурсные уроки",
             "description": "Конкурсанты проводят уроки в классах гимназии, зрители — по предварительной "
                            "заявке. Сменная обувь обязательна.",
             "materials": []},
         ]},
     ]},
    # ------------------------------------------------------------------------------------------------
    # Doc 000 §6: plan-schedule of the regional resource centre (all rows, grouped by year of the source).
    # ------------------------------------------------------------------------------------------------
    {"key": "plan-schedule",
     "title": "План-график работ краевого ресурсного центра «Научно-методическое сопровождение "
              "профессионального роста педагогов в условиях деятельности стажировочных площадок»",
     "municipality": None, "kind": "year", "source": "000",
     "items": [
        # --- 2020 ---
        {"number": "1.1", "title": "Создание рабочей группы (Координационного совета)",
         "direction": "Сетевое взаимодействие", "form": "Заседание координационного совета",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Август-сентябрь 2020",
         "expected_result": "Создан Координационный совет сети, утверждён его состав",
         "responsible": "Краевой ресурсный центр", "status": "held", "site": "site-tim-cro-krc",
         "sessions": [
            {"month": 9, "day": 4, "start": "11:00", "hours": 2, "site": "site-tim-cro-krc",
             "delivery": "blended", "capacity": 30, "approval_required": True,
             "title": "Первое заседание Координационного совета сети",
             "description": "Утверждение состава совета и регламента работы. Представители ТМС подключаются "
                            "онлайн или приезжают в ресурсный центр.",
             "materials": [("Положение о сетевом взаимодействии методических служб", "https://example.org/materials/polozhenie-set.pdf")]},
         ]},
        {"number": "1.2", "title": "Проведение заседаний Координационного совета",
         "direction": "Сетевое взаимодействие", "form": "Заседание координационного совета",
         "audiences": ["Методисты ТМС"],
         "timing_text": "4 раза в год",
         "expected_result": "Согласованы планы и отчёты участников сети",
         "responsible": "Председатель Координационного совета", "status": "planned", "site": "site-tim-cro-krc",
         "sessions": [
            {"month": 12, "day": 11, "start": "11:00", "hours": 2, "site": None, "delivery": "online",
             "capacity": 30, "approval_required": True,
             "title": "Заседание Координационного совета: итоги первого полугодия",
             "description": "Отчёты ТМС о работе площадок в первом полугодии. Подключение по ссылке для "
                            "членов совета.",
             "materials": []},
            {"month": 3, "day": 12, "start": "11:00", "hours": 2, "site": "site-tim-cro-krc",
             "delivery": "blended", "capacity": 30, "approval_required": True,
             "title": "Заседание Координационного совета: мониторинг эффективности площадок",
             "description": "Обсуждение результатов мониторинга и корректировка программ площадок.",
             "materials": []},
            {"month": 6, "day": 4, "start": "11:00", "hours": 2, "site": None, "delivery": "online",
             "capacity": 30, "approval_required": True,
             "title": "Заседание Координационного совета: итоги года и план на следующий год",
             "description": "Подведение итогов учебного года и согласование плана сети. Проект плана "
                            "рассылается за неделю.",
             "materials": []},
         ]},
        {"number": "1.3", "title": "Разработка и утверждение плана работы инновационной площадки",
         "direction": "Инновационная деятельность", "form": "Заседание координационного совета",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Август 2020",
         "expected_result": "Утверждён план работы инновационной площадки",
         "responsible": "Краевой ресурсный центр", "status": "held", "site": None, "sessions": []},
        {"number": "1.4",
         "title": "Подписание партнерских соглашений между краевым ресурсным центром и ТМС с недостаточным "
                  "методическим потенциалом по направлению профессионального роста педагогов",
         "direction": "Сетевое взаимодействие", "form": "Заседание координационного совета",
         "audiences": ["Методисты ТМС", "Управленческие команды"],
         "timing_text": "Сентябрь 2020",
         "expected_result": "Подписаны соглашения о сетевом взаимодействии с ТМС",
         "responsible": "Директор краевого ресурсного центра", "status": "held", "site": None, "sessions": []},
        {"number": "1.5", "title": "Определение стажировочных площадок на базах образовательных организаций",
         "direction": "Сетевое взаимодействие", "form": "Заседание координационного совета",
         "audiences": ["Методисты ТМС", "Управленческие команды"],
         "timing_text": "Август-сентябрь 2020",
         "expected_result": "Издан приказ о стажировочных площадках и их руководителях",
         "responsible": "Краевой ресурсный центр, ТМС", "status": "held", "site": None, "sessions": []},
        {"number": "1.6", "title": "Формирование нормативно-правовой базы",
         "direction": "Методические компетенции", "form": "Групповая консультация",
         "audiences": ["Методисты ТМС"],
         "timing_text": "В течение года",
         "expected_result": "Разработаны положения о сети, о стажировочной площадке, типовые договоры",
         "responsible": "Рабочая группа ресурсного центра", "status": "planned", "site": None, "sessions": []},
        {"number": "1.7",
         "title": "Анализ деятельности ТМС за последние 2 года (планы работы, модели сопровождения педагогов, "
                  "нормативно-правовые документы, регламентирующие работу методических служб)",
         "direction": "Выявление профессиональных дефицитов", "form": "Групповая консультация",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Сентябрь-октябрь 2020",
         "expected_result": "Аналитическая справка о методическом потенциале ТМС",
         "responsible": "Краевой ресурсный центр", "status": "held", "site": None, "sessions": []},
        {"number": "1.8", "title": "Проведение диагностики уровня профессиональных компетенций педагогов ОО",
         "direction": "Выявление профессиональных дефицитов", "form": "Вебинар",
         "audiences": ["Управленческие команды", "Методисты ТМС"],
         "timing_text": "Октябрь – декабрь 2020",
         "expected_result": "Выявлены профессиональные дефициты педагогов, сформированы группы стажёров",
         "responsible": "ТМС муниципалитетов", "status": "planned", "site": None,
         "sessions": [
            {"month": 11, "day": 12, "start": "14:00", "hours": 2, "site": None, "delivery": "online",
             "capacity": 100, "approval_required": False,
             "title": "Инструктивный вебинар по проведению диагностики профессиональных компетенций",
             "description": "Порядок проведения диагностики в школах и сроки сдачи результатов в ТМС. "
                            "Запись вебинара будет доступна после трансляции.",
             "materials": [("Опросник самооценки профессиональных компетенций", "https://example.org/materials/oprosnik-samoocenka.pdf")]},
         ]},
        {"number": "1.9",
         "title": "Формирование банка документов федерального, регионального, муниципального уровней (законы, "
                  "указы, распоряжения, приказы, положения, постановления, программы)",
         "direction": "Методические компетенции", "form": "Дистанционная консультация",
         "audiences": ["Методисты ТМС"],
         "timing_text": "В течение года",
         "expected_result": "Сформирован электронный банк нормативных документов",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None, "sessions": []},
        {"number": "1.10", "title": "Разработка и корректировка программ стажировочных площадок",
         "direction": "Методические компетенции", "form": "Семинар-практикум",
         "audiences": ["Управленческие команды", "Методисты ТМС"],
         "timing_text": "Октябрь-декабрь 2020",
         "expected_result": "Скорректированы модульные программы стажировочных площадок",
         "responsible": "Руководители стажировочных площадок", "status": "planned", "site": "site-tim-cro-krc",
         "sessions": [
            {"month": 12, "day": 5, "start": "10:00", "hours": 3, "site": "site-tim-cro-krc",
             "delivery": "in_person", "capacity": 30, "approval_required": True,
             "title": "Семинар-практикум «Конструктор модульной программы стажировочной площадки»",
             "description": "Руководители площадок доработают программы по конструктору и получат "
                            "рецензию ресурсного центра. Возьмите проект программы в электронном виде.",
             "materials": [("Конструктор программы стажировочной площадки", "https://example.org/materials/konstruktor-programmy.docx")]},
         ]},
        {"number": "1.11",
         "title": "Модельный семинар для методистов и специалистов методических служб по теме «Национальные "
                  "проекты в образовании. Региональный проект «Учитель будущего»",
         "direction": "Профессиональное развитие педагогов", "form": "Модельный семинар",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Октябрь 2020",
         "expected_result": "Методисты ТМС ознакомлены с задачами национального проекта и ролью сети",
         "responsible": "Краевой ресурсный центр", "status": "held", "site": None,
         "sessions": [
            {"month": 10, "day": 16, "start": "10:00", "hours": 4, "site": "site-tim-cro-krc",
             "delivery": "in_person", "capacity": 60, "approval_required": False, "title": None,
             "description": "Модельный семинар для специалистов методических служб края: система "
                            "профессионального роста педагогов и место в ней стажировочных площадок.",
             "materials": []},
         ]},
        {"number": "1.12", "title": "Занятия на стажировочной площадке «Методическая предметная компетентность педагога»",
         "direction": "Методические компетенции", "form": "Занятие на стажировочной площадке",
         "audiences": ["Молодые педагоги", "Учителя-предметники"],
         "timing_text": "Октябрь – ноябрь 2020",
         "expected_result": "Стажёры спроектировали урок по технологической карте",
         "responsible": "Руководитель стажировочной площадки", "status": "held", "site": "site-tim-sosh1-metod",
         "sessions": [
            {"month": 10, "day": 23, "start": "14:00", "hours": 3, "site": "site-tim-sosh1-metod",
             "delivery": "in_person", "capacity": 20, "approval_required": True,
             "title": "Занятие 1. Технологическая карта урока",
             "description": "Стажёры посетят урок педагога-мастера и разберут его технологическую карту. "
                            "Возьмите рабочую программу по своему предмету.",
             "materials": [("Шаблон технологической карты урока", "https://example.org/materials/tekhkarta.docx")]},
            {"month": 11, "day": 20, "start": "14:00", "hours": 3, "site": "site-tim-sosh1-metod",
             "delivery": "in_person", "capacity": 20, "approval_required": True,
             "title": "Занятие 2. Анализ и самоанализ урока",
             "description": "Стажёры проведут самоанализ своего урока по схеме и получат обратную связь "
                            "наставника.",
             "materials": [("Схема анализа урока", "https://example.org/materials/skhema-analiza-uroka.pdf")]},
         ]},
        {"number": "1.13",
         "title": "Практико-ориентированный семинар на базе краевой инновационной площадки «Использование "
                  "ИКТ-технологий для внутреннего мониторинга эффективности учебной деятельности»",
         "direction": "ИКТ-компетенции", "form": "Практико-ориентированный семинар",
         "audiences": ["Учителя-предметники", "Управленческие команды"],
         "timing_text": "Ноябрь 2020",
         "expected_result": "Участники освоили цифровые инструменты внутреннего мониторинга",
         "responsible": "Руководитель стажировочной площадки", "status": "planned", "site": "site-krd-sosh12-ikt",
         "sessions": [
            {"month": 11, "day": 26, "start": "14:00", "hours": 3, "site": "site-krd-sosh12-ikt",
             "delivery": "in_person", "capacity": 30, "approval_required": False, "title": None,
             "description": "Покажем электронные таблицы мониторинга и онлайн-тесты для текущего контроля. "
                            "Работа за компьютерами школы, ноутбук — по желанию.",
             "materials": []},
         ]},
        {"number": "1.14", "title": "Консультация «Организация и проведение диагностики профессиональных компетенций педагогов»",
         "direction": "Выявление профессиональных дефицитов", "form": "Дистанционная консультация",
         "audiences": ["Методисты ТМС", "Управленческие команды"],
         "timing_text": "Октябрь- ноябрь 2020",
         "expected_result": "Оказана помощь ТМС в организации диагностики",
         "responsible": "Краевой ресурсный центр", "status": "held", "site": None,
         "sessions": [
            {"month": 10, "day": 9, "start": "15:00", "hours": 1, "site": None, "delivery": "online",
             "capacity": 40, "approval_required": False, "title": None,
             "description": "Ответы на вопросы методистов о диагностике и обработке её результатов.",
             "materials": []},
         ]},
        {"number": "1.15",
         "title": "Консультация «Организация муниципальных стажировочных площадок как средство повышения "
                  "профессиональных компетенций педагогов»",
         "direction": "Сетевое взаимодействие", "form": "Групповая консультация",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Декабрь 2020",
         "expected_result": "ТМС подготовили проекты приказов о муниципальных стажировочных площадках",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None, "sessions": []},
        # --- 2021 ---
        {"number": "2.1", "title": "Проведение мониторинга эффективности педагогической деятельности работников ОО",
         "direction": "Оценка качества образования", "form": "Групповая консультация",
         "audiences": ["Управленческие команды"],
         "timing_text": "2 раза в год",
         "expected_result": "Карты эффективности профессиональной деятельности педагогов",
         "responsible": "ТМС муниципалитетов", "status": "planned", "site": None, "sessions": []},
        {"number": "2.2",
         "title": "Проведение мониторинга эффективности методической деятельности «Центров развития образования» "
                  "по сопровождению профессионального развития педагогов",
         "direction": "Оценка качества образования", "form": "Заседание координационного совета",
         "audiences": ["Методисты ТМС"],
         "timing_text": "2 раза в год",
         "expected_result": "Аналитическая справка об эффективности методических служб",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None, "sessions": []},
        {"number": "2.3",
         "title": "Посещение муниципальных методических мероприятий, направленных на повышение квалификации "
                  "педагогических работников",
         "direction": "Сетевое взаимодействие", "form": "Стажировка",
         "audiences": ["Методисты ТМС"],
         "timing_text": "В течение периода",
         "expected_result": "Обмен опытом методических служб",
         "responsible": "Методисты ТМС", "status": "planned", "site": None, "sessions": []},
        {"number": "2.4",
         "title": "Практико-ориентированный семинар «Организация инновационной деятельности ОО» на примере опыта "
                  "работы краевой инновационной площадки МБОУ СОШ № 1",
         "direction": "Инновационная деятельность", "form": "Практико-ориентированный семинар",
         "audiences": ["Управленческие команды"],
         "timing_text": "Январь 2021",
         "expected_result": "Управленческие команды познакомились с циклом инновационного проекта школы",
         "responsible": "Руководитель стажировочной площадки МБОУ СОШ № 1", "status": "planned",
         "site": "site-tim-sosh1-metod",
         "sessions": [
            {"month": 1, "day": 22, "start": "10:00", "hours": 3, "site": "site-tim-sosh1-metod",
             "delivery": "in_person", "capacity": 40, "approval_required": False, "title": None,
             "description": "Школа покажет путь от идеи инновационного проекта до статуса краевой площадки. "
                            "Участники получат шаблон заявки на инновационный проект.",
             "materials": [("Шаблон заявки на инновационный проект", "https://example.org/materials/zayavka-kip.docx")]},
         ]},
        {"number": "2.5", "title": "Организация работы стажировочных площадок",
         "direction": "Профессиональное развитие педагогов", "form": "Занятие на стажировочной площадке",
         "audiences": ["Молодые педагоги", "Учителя-предметники"],
         "timing_text": "Январь – ноябрь 2021",
         "expected_result": "Стажёры освоили модули программ площадок",
         "responsible": "Руководители стажировочных площадок", "status": "planned", "site": None, "sessions": []},
        {"number": "2.6", "title": "Консультация «Использование активных и интерактивных форм методического сопровождения педагогов»",
         "direction": "Методические компетенции", "form": "Дистанционная консультация",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Февраль 2021",
         "expected_result": "Методисты ТМС знают активные формы работы с педагогами",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None,
         "sessions": [
            {"month": 2, "day": 5, "start": "15:00", "hours": 1, "site": None, "delivery": "online",
             "capacity": 40, "approval_required": False, "title": None,
             "description": "Обзор форм: педагогическая мастерская, гостиная, флешмоб, деловая игра. "
                            "Подключение по ссылке.",
             "materials": []},
         ]},
        {"number": "2.7",
         "title": "Педагогическая ассамблея «Школа как точка пересечения взрослых и детей, физического и "
                  "виртуального пространства»",
         "direction": "Профессиональное развитие педагогов", "form": "Форум",
         "audiences": ["Учителя-предметники", "Управленческие команды"],
         "timing_text": "Март 2021",
         "expected_result": "Обсуждены модели школьной среды; сформирован сборник тезисов",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None,
         "sessions": [
            {"month": 3, "day": 26, "start": "10:00", "hours": 4, "site": "site-tim-cro-krc",
             "delivery": "blended", "capacity": 120, "approval_required": False,
             "title": "Педагогическая ассамблея «Школа как точка пересечения взрослых и детей»",
             "description": "Пленарная часть и секции; трансляция для участников других муниципалитетов. "
                            "Тезисы выступлений принимаются до 10 марта.",
             "materials": []},
         ]},
        {"number": "2.8", "title": "Педагогический флешмоб «Активные и интерактивные формы методического сопровождения педагогических кадров»",
         "direction": "Методические компетенции", "form": "Педагогический марафон",
         "audiences": ["Методисты ТМС", "Молодые педагоги"],
         "timing_text": "Апрель 2021",
         "expected_result": "Собран банк активных форм методической работы",
         "responsible": "Краевой ресурсный центр", "status": "cancelled", "site": None,
         "sessions": [
            {"month": 4, "day": 9, "start": "15:00", "hours": 2, "site": None, "delivery": "online",
             "capacity": 80, "approval_required": False, "title": "Педагогический флешмоб (онлайн)",
             "description": "Мероприятие отменено: формат объединён с педагогическим марафоном.",
             "materials": []},
         ]},
        {"number": "2.9",
         "title": "Методическая мастерская «Разработка и апробация комплексной системы оценки качества образования "
                  "в ДОО на основе шкалы развивающей оценки образовательной среды (методика ECERS-R)» "
                  "(на базе опорной площадки МБДОУ д/с № 7)",
         "direction": "Оценка качества образования", "form": "Педагогическая мастерская",
         "audiences": ["Педагоги ДОУ", "Управленческие команды"],
         "timing_text": "Май 2021",
         "expected_result": "Участники провели самообследование группы по шкалам ECERS-R",
         "responsible": "Руководитель опорной площадки МБДОУ д/с № 7", "status": "planned",
         "site": "site-tim-ds7-ecers",
         "sessions": [
            {"month": 5, "day": 14, "start": "13:30", "hours": 3, "site": "site-tim-ds7-ecers",
             "delivery": "in_person", "capacity": 25, "approval_required": True,
             "title": "Методическая мастерская «Оценка среды ДОО по шкалам ECERS-R»",
             "description": "Участники оценят одну из групп детского сада по шкалам и сравнят результаты. "
                            "Бланки шкал выдаются на месте.",
             "materials": [("Бланк самообследования группы по шкалам", "https://example.org/materials/ecers-blank.pdf")]},
         ]},
        {"number": "2.10",
         "title": "Разработка карт эффективности деятельности КРЦ по направлениям — мониторинг эффективности "
                  "совместной деятельности",
         "direction": "Оценка качества образования", "form": "Заседание координационного совета",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Май 2021",
         "expected_result": "Разработаны карты эффективности по направлениям",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None, "sessions": []},
        {"number": "2.11", "title": "Публикация статей по проблеме повышения квалификации педагогов",
         "direction": "Диссеминация лучших практик", "form": "Конференция",
         "audiences": ["Методисты ТМС", "Учителя-предметники"],
         "timing_text": "В течение периода",
         "expected_result": "Статьи в региональных педагогических журналах",
         "responsible": "Авторы проекта", "status": "planned", "site": None, "sessions": []},
        {"number": "2.12",
         "title": "Практико-ориентированный семинар «Профессиональная компетентность педагогических работников в "
                  "освоении и реализации требований ФГОС ДОО»",
         "direction": "Дошкольное образование", "form": "Практико-ориентированный семинар",
         "audiences": ["Педагоги ДОУ"],
         "timing_text": "Сентябрь 2021",
         "expected_result": "Педагоги ДОУ освоили требования ФГОС ДО в практике",
         "responsible": "Руководитель стажировочной площадки МБДОУ д/с № 115", "status": "held",
         "site": "site-krd-ds115-ppsr",
         "sessions": [
            {"month": 9, "day": 18, "start": "13:30", "hours": 3, "site": "site-krd-ds115-ppsr",
             "delivery": "in_person", "capacity": 35, "approval_required": False, "title": None,
             "description": "Просмотр образовательной деятельности в двух группах и её обсуждение. "
                            "Сменная обувь обязательна.",
             "materials": []},
         ]},
        {"number": "2.13",
         "title": "Педагогическая гостиная «Создание условий повышения квалификации педагогических работников в "
                  "муниципалитете»",
         "direction": "Профессиональное развитие педагогов", "form": "Педагогическая гостиная",
         "audiences": ["Методисты ТМС", "Управленческие команды"],
         "timing_text": "Октябрь 2021",
         "expected_result": "Обобщены условия повышения квалификации в муниципалитетах",
         "responsible": "Краевой ресурсный центр", "status": "held", "site": None,
         "sessions": [
            {"month": 10, "day": 30, "start": "14:00", "hours": 2, "site": "site-tim-cro-krc",
             "delivery": "in_person", "capacity": 30, "approval_required": False, "title": None,
             "description": "Разговор методистов о том, что помогает педагогам учиться между курсами. "
                            "Каждый муниципалитет представит одну удачную практику.",
             "materials": []},
         ]},
        {"number": "2.14",
         "title": "Круглый стол «Работа территориальной методической службы по организации методических недель»",
         "direction": "Сетевое взаимодействие", "form": "Круглый стол",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Ноябрь 2021",
         "expected_result": "Подготовлены рекомендации по организации методических недель",
         "responsible": "Краевой ресурсный центр", "status": "moved", "site": None,
         "sessions": [
            {"month": 11, "day": 28, "start": "11:00", "hours": 2, "site": None, "delivery": "online",
             "capacity": 40, "approval_required": False, "title": None,
             "description": "Перенесён с 21 ноября. Методисты ТМС обменяются опытом планирования "
                            "методических недель; подключение по ссылке.",
             "materials": []},
         ]},
        {"number": "2.15", "title": "Консультация «Применение нетрадиционных методов и приемов в работе ТМС»",
         "direction": "Методические компетенции", "form": "Дистанционная консультация",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Декабрь 2021",
         "expected_result": "Оказана методическая помощь специалистам ТМС",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None,
         "sessions": [
            {"month": 12, "day": 23, "start": "15:00", "hours": 1, "site": None, "delivery": "online",
             "capacity": 40, "approval_required": False, "title": None,
             "description": "Нетрадиционные формы работы с педагогами: квесты, кейс-сессии, "
                            "педагогические лаборатории. Вопросы присылайте заранее.",
             "materials": []},
         ]},
        # --- 2022 ---
        {"number": "3.1", "title": "Организация работы стажировочных площадок",
         "direction": "Профессиональное развитие педагогов", "form": "Занятие на стажировочной площадке",
         "audiences": ["Молодые педагоги", "Учителя-предметники"],
         "timing_text": "Январь – ноябрь 2022",
         "expected_result": "Реализованы модульные программы стажировочных площадок",
         "responsible": "Руководители стажировочных площадок", "status": "planned", "site": None, "sessions": []},
        {"number": "3.2",
         "title": "Педагогический марафон. Мастер-классы педагогов — победителей и призеров профессиональных конкурсов",
         "direction": "Диссеминация лучших практик", "form": "Педагогический марафон",
         "audiences": ["Учителя-предметники", "Молодые педагоги"],
         "timing_text": "Январь 2022",
         "expected_result": "Представлены практики победителей профессиональных конкурсов",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None,
         "sessions": [
            {"month": 1, "day": 29, "start": "10:00", "hours": 4, "site": "site-krd-gimn44-innov",
             "delivery": "blended", "capacity": 80, "approval_required": False,
             "title": "Педагогический марафон мастер-классов победителей конкурсов",
             "description": "Восемь мастер-классов по 30 минут; можно выбрать любые. "
                            "Очные участники — в гимназии, остальные — по трансляции.",
             "materials": []},
         ]},
        {"number": "3.3", "title": "Деловая игра «Педагогическое проектирование» (на базе стажировочной площадки МБОУ СОШ № 2)",
         "direction": "Проектно-исследовательские компетенции", "form": "Деловая игра",
         "audiences": ["Молодые педагоги", "Учителя-предметники"],
         "timing_text": "Январь 2022",
         "expected_result": "Участники спроектировали учебный проект для своих классов",
         "responsible": "Руководитель стажировочной площадки МБОУ СОШ № 2", "status": "planned",
         "site": "site-tim-sosh2-proekt",
         "sessions": [
            {"month": 1, "day": 27, "start": "14:00", "hours": 3, "site": "site-tim-sosh2-proekt",
             "delivery": "in_person", "capacity": 24, "approval_required": True, "title": None,
             "description": "Команды по 4 человека пройдут все этапы проектирования — от проблемы до "
                            "продукта. Число мест ограничено.",
             "materials": []},
         ]},
        {"number": "3.4",
         "title": "Фестиваль педагогических идей «Современные образовательные технологии в работе учителя». "
                  "Открытые уроки",
         "direction": "Диссеминация лучших практик", "form": "Фестиваль",
         "audiences": ["Учителя-предметники"],
         "timing_text": "Февраль 2022",
         "expected_result": "Проведены открытые уроки; сформирован банк технологий",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None,
         "sessions": [
            {"month": 2, "day": 12, "start": "09:00", "hours": 5, "site": "site-tim-sosh11-sdm",
             "delivery": "in_person", "capacity": 60, "approval_required": False,
             "title": "Фестиваль педагогических идей: открытые уроки",
             "description": "Открытые уроки по расписанию и обсуждение в секциях. Расписание уроков "
                            "придёт после регистрации.",
             "materials": []},
         ]},
        {"number": "3.5",
         "title": "Создание сетевых сообществ педагогов в рамках методического сопровождения по направлению "
                  "«Профессиональный рост педагогов»",
         "direction": "Сетевое взаимодействие", "form": "Дискуссионная площадка",
         "audiences": ["Учителя-предметники", "Молодые педагоги"],
         "timing_text": "Март – апрель 2022",
         "expected_result": "Созданы сетевые сообщества педагогов",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None, "sessions": []},
        {"number": "3.6",
         "title": "Совместный педагогический совет «Профессиональный стандарт педагога как вектор профессионального "
                  "развития. Пути повышения квалификации педагогических работников»",
         "direction": "Профессиональное развитие педагогов", "form": "Совместный педсовет",
         "audiences": ["Управленческие команды", "Учителя-предметники"],
         "timing_text": "Апрель 2022",
         "expected_result": "Приняты решения о путях повышения квалификации в ОО",
         "responsible": "Краевой ресурсный центр, руководители ОО", "status": "planned", "site": None,
         "sessions": [
            {"month": 4, "day": 16, "start": "14:00", "hours": 2, "site": None, "delivery": "blended",
             "capacity": 120, "approval_required": False,
             "title": "Совместный педсовет «Профессиональный стандарт педагога как вектор развития»",
             "description": "Педагогические коллективы нескольких школ проводят педсовет одновременно с "
                            "общей онлайн-частью. Ссылка и проект решения — в рассылке.",
             "materials": []},
         ]},
        {"number": "3.7", "title": "Практический семинар «Проектирование развивающей предметно-пространственной среды в ДОО»",
         "direction": "Предметно-развивающая среда ДОО", "form": "Семинар-практикум",
         "audiences": ["Педагоги ДОУ"],
         "timing_text": "Май-июнь 2022",
         "expected_result": "Участники разработали проект среды своей группы",
         "responsible": "Руководитель стажировочной площадки МБДОУ д/с № 115", "status": "planned",
         "site": "site-krd-ds115-ppsr",
         "sessions": [
            {"month": 6, "day": 11, "start": "10:00", "hours": 3, "site": "site-krd-ds115-ppsr",
             "delivery": "in_person", "capacity": 30, "approval_required": False,
             "title": "Практический семинар «Проектирование РППС на летний период»",
             "description": "Участники спроектируют среду группы и участка на летний оздоровительный период. "
                            "Возьмите план-схему своей группы.",
             "materials": []},
         ]},
        {"number": "3.8",
         "title": "Практические занятия педагогов-мастеров для различных категорий педагогических работников "
                  "«Формирование профессиональных компетенций педагогических работников»",
         "direction": "Профессиональное развитие педагогов", "form": "Мастер-класс",
         "audiences": ["Молодые педагоги", "Наставники"],
         "timing_text": "В течение периода",
         "expected_result": "Педагоги-мастера провели практические занятия",
         "responsible": "Педагоги-мастера стажировочных площадок", "status": "planned", "site": None,
         "sessions": [
            {"month": 10, "day": 14, "start": "14:00", "hours": 2, "site": "site-tim-sosh11-sdm",
             "delivery": "in_person", "capacity": 20, "approval_required": False,
             "title": "Мастер-класс педагога-мастера «Урок открытия нового знания»",
             "description": "Педагог-мастер покажет структуру урока открытия нового знания на материале "
                            "начальной школы. Подходит и учителям основной школы.",
             "materials": []},
         ]},
        {"number": "3.9", "title": "Проведение дистанционных консультаций с применением Интернет-ресурсов",
         "direction": "ИКТ-компетенции", "form": "Дистанционная консультация",
         "audiences": ["Учителя-предметники", "Молодые педагоги"],
         "timing_text": "В течение периода",
         "expected_result": "Оказана дистанционная методическая помощь",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None,
         "sessions": [
            {"month": 7, "day": 8, "start": "11:00", "hours": 1, "site": None, "delivery": "online",
             "capacity": 50, "approval_required": False,
             "title": "Летняя дистанционная консультация «Рабочие программы на новый учебный год»",
             "description": "Ответы на вопросы о подготовке рабочих программ в конструкторе. "
                            "Подключение по ссылке после регистрации.",
             "materials": []},
         ]},
        {"number": "3.10",
         "title": "Методический фестиваль «Непрерывное повышение квалификации педагогических работников. "
                  "Идеи, находки, опыт»",
         "direction": "Диссеминация лучших практик", "form": "Фестиваль",
         "audiences": ["Учителя-предметники", "Методисты ТМС"],
         "timing_text": "Сентябрь 2022",
         "expected_result": "Представлены практики непрерывного повышения квалификации",
         "responsible": "Краевой ресурсный центр", "status": "held", "site": None,
         "sessions": [
            {"month": 9, "day": 26, "start": "10:00", "hours": 4, "site": "site-tim-cro-krc",
             "delivery": "in_person", "capacity": 100, "approval_required": False, "title": None,
             "description": "Выставка практик площадок, мастер-классы и награждение участников. "
                            "Приглашаются команды всех муниципалитетов сети.",
             "materials": []},
         ]},
        {"number": "3.11",
         "title": "Модельный семинар «Развитие проектных компетенций педагогов. Применение проектно-"
                  "исследовательской деятельности в работе»",
         "direction": "Проектно-исследовательские компетенции", "form": "Модельный семинар",
         "audiences": ["Учителя-предметники"],
         "timing_text": "Октябрь 2022",
         "expected_result": "Педагоги освоили модель сопровождения индивидуального проекта",
         "responsible": "Руководитель стажировочной площадки МБОУ СОШ № 2", "status": "held",
         "site": "site-tim-sosh2-proekt",
         "sessions": [
            {"month": 10, "day": 2, "start": "14:00", "hours": 3, "site": "site-tim-sosh2-proekt",
             "delivery": "in_person", "capacity": 35, "approval_required": False, "title": None,
             "description": "Модель работы проектного офиса школы и защита проектов обучающихся. "
                            "Участники получат критерии оценивания индивидуального проекта.",
             "materials": [("Критерии оценивания индивидуального проекта", "https://example.org/materials/kriterii-proekt.pdf")]},
         ]},
        {"number": "3.12", "title": "Педагогическая мастерская «Использование здоровьесберегающих технологий в педагогической практике»",
         "direction": "Здоровьесберегающие технологии", "form": "Педагогическая мастерская",
         "audiences": ["Учителя-предметники", "Классные руководители"],
         "timing_text": "Ноябрь 2022",
         "expected_result": "Участники освоили приёмы здоровьесберегающей организации урока",
         "responsible": "Руководитель стажировочной площадки МБОУ СОШ № 13", "status": "held",
         "site": "site-tim-sosh13-zdorov",
         "sessions": [
            {"month": 11, "day": 19, "start": "14:00", "hours": 3, "site": "site-tim-sosh13-zdorov",
             "delivery": "in_person", "capacity": 25, "approval_required": False, "title": None,
             "description": "Подвижная перемена, урок с динамическими паузами и разработка собственной "
                            "паузы участниками. Удобная обувь.",
             "materials": []},
         ]},
        {"number": "3.13", "title": "Использование интернет-ресурсов в контрольно-аналитической деятельности педагогов и руководителей ДОУ",
         "direction": "ИКТ-компетенции", "form": "Вебинар",
         "audiences": ["Педагоги ДОУ", "Управленческие команды"],
         "timing_text": "Декабрь 2022",
         "expected_result": "Руководители ДОУ освоили онлайн-инструменты контроля и анализа",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None,
         "sessions": [
            {"month": 12, "day": 2, "start": "14:00", "hours": 2, "site": None, "delivery": "online",
             "capacity": 100, "approval_required": False,
             "title": "Вебинар «Онлайн-инструменты контрольно-аналитической деятельности в ДОУ»",
             "description": "Онлайн-формы, чек-листы и электронные таблицы для контроля в детском саду. "
                            "Запись будет доступна участникам.",
             "materials": []},
         ]},
        {"number": "3.14",
         "title": "Систематизировать имеющийся опыт. Разработать методические рекомендации по организации "
                  "деятельности ресурсных центров для дальнейшего использования в крае",
         "direction": "Диссеминация лучших практик", "form": "Заседание координационного совета",
         "audiences": ["Методисты ТМС"],
         "timing_text": "В течение периода",
         "expected_result": "Разработаны методические рекомендации по организации деятельности ресурсных центров",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None, "sessions": []},
        {"number": "3.15", "title": "Публикация статей по проблеме повышения квалификации педагогов",
         "direction": "Диссеминация лучших практик", "form": "Конференция",
         "audiences": ["Методисты ТМС"],
         "timing_text": "В течение периода",
         "expected_result": "Опубликованы статьи в профессиональных изданиях",
         "responsible": "Авторы проекта", "status": "planned", "site": None, "sessions": []},
        {"number": "3.16",
         "title": "Выпуск методических пособий, сборников, методических бюллетеней из опыта работы краевого "
                  "ресурсного центра",
         "direction": "Диссеминация лучших практик", "form": "Выставка",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Апрель 2020-июнь 2021",
         "expected_result": "Выпущены методические пособия и сборники",
         "responsible": "Краевой ресурсный центр", "status": "held", "site": None, "sessions": []},
        # --- 2023 ---
        {"number": "4.1",
         "title": "Краевой семинар «Индивидуальный образовательный маршрут как средство повышения "
                  "профессиональных компетенций педагога»",
         "direction": "Построение ИОМ", "form": "Семинар",
         "audiences": ["Методисты ТМС", "Управленческие команды"],
         "timing_text": "Январь 2023",
         "expected_result": "Участники освоили порядок построения ИОМ по итогам диагностики",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None,
         "sessions": [
            {"month": 1, "day": 15, "start": "10:00", "hours": 3, "site": "site-tim-cro-krc",
             "delivery": "blended", "capacity": 90, "approval_required": False, "title": None,
             "description": "Построение ИОМ по результатам диагностики дефицитов и сопровождение тьютором. "
                            "Очно — в ресурсном центре, для других муниципалитетов — трансляция.",
             "materials": [("Методические рекомендации по ИОМ педагога", "https://example.org/materials/iom-rekomendacii.pdf")]},
         ]},
        {"number": "4.2", "title": "Психолого-педагогическая конференция «Личностный рост педагога в рамках сетевого взаимодействия»",
         "direction": "Психолого-педагогические компетенции", "form": "Конференция",
         "audiences": ["Учителя-предметники", "Классные руководители"],
         "timing_text": "Февраль 2023",
         "expected_result": "Обобщён опыт психолого-педагогического сопровождения педагогов",
         "responsible": "Руководитель стажировочной площадки МБОУ СОШ № 5", "status": "planned",
         "site": "site-tim-sosh5-stupenki",
         "sessions": [
            {"month": 2, "day": 19, "start": "10:00", "hours": 4, "site": "site-tim-sosh5-stupenki",
             "delivery": "in_person", "capacity": 80, "approval_required": False, "title": None,
             "description": "Пленарные доклады психологов и секции по профилактике выгорания и "
                            "работе с родителями. Программа — после регистрации.",
             "materials": []},
         ]},
        {"number": "4.3",
         "title": "Практико-ориентированный семинар «Формирование профессиональных компетенций педагогов через "
                  "организацию муниципальной сети стажировочных площадок»",
         "direction": "Сетевое взаимодействие", "form": "Практико-ориентированный семинар",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Март 2023",
         "expected_result": "ТМС муниципалитетов получили модель сети стажировочных площадок",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": "site-tim-cro-krc",
         "sessions": [
            {"month": 3, "day": 19, "start": "10:00", "hours": 4, "site": "site-tim-cro-krc",
             "delivery": "blended", "capacity": 60, "approval_required": True, "title": None,
             "description": "Модель муниципальной сети, положение, приказ и программа площадки. "
                            "Методисты ТМС выполнят практическую работу по конструктору.",
             "materials": [("Типовое положение о стажировочной площадке", "https://example.org/materials/polozhenie.pdf")]},
         ]},
        {"number": "4.4",
         "title": "Фестиваль инновационных идей «Инновационная деятельность на базе образовательных организаций — "
                  "одна из форм профессионального роста педагогов». Из опыта деятельности инновационных площадок ДОО",
         "direction": "Инновационная деятельность", "form": "Фестиваль",
         "audiences": ["Педагоги ДОУ"],
         "timing_text": "Апрель 2023",
         "expected_result": "Представлен опыт инновационных площадок ДОО",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None, "sessions": []},
        {"number": "4.5",
         "title": "Выпуск методических пособий, сборников, методических бюллетеней из опыта работы краевого "
                  "ресурсного центра",
         "direction": "Диссеминация лучших практик", "form": "Выставка",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Апрель 2023-июнь 2023",
         "expected_result": "Выпущен сборник по итогам реализации проекта",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None, "sessions": []},
        {"number": "4.6",
         "title": "Конференция «Эффективные практики повышения профессионального мастерства педагогических и "
                  "руководящих работников». Обмен опытом",
         "direction": "Диссеминация лучших практик", "form": "Конференция",
         "audiences": ["Управленческие команды", "Методисты ТМС"],
         "timing_text": "Сентябрь 2023",
         "expected_result": "Обобщены эффективные практики сети",
         "responsible": "Краевой ресурсный центр", "status": "held", "site": None,
         "sessions": [
            {"month": 9, "day": 30, "start": "10:00", "hours": 5, "site": None, "delivery": "blended",
             "capacity": 120, "approval_required": False, "title": None,
             "description": "Краевая конференция с выступлениями муниципалитетов сети. "
                            "Материалы выступлений опубликованы в сборнике.",
             "materials": []},
         ]},
        {"number": "4.7", "title": "Выставка методических материалов «Лучшие педагогические и инновационные практики»",
         "direction": "Диссеминация лучших практик", "form": "Выставка",
         "audiences": ["Учителя-предметники", "Методисты ТМС"],
         "timing_text": "Октябрь 2023",
         "expected_result": "Представлены методические продукты площадок сети",
         "responsible": "Краевой ресурсный центр", "status": "held", "site": None,
         "sessions": [
            {"month": 10, "day": 21, "start": "10:00", "hours": 6, "site": "site-tim-cro-krc",
             "delivery": "in_person", "capacity": 100, "approval_required": False, "title": None,
             "description": "Выставка пособий, программ и сборников площадок с консультациями авторов.",
             "materials": []},
         ]},
        {"number": "4.8",
         "title": "Обобщить опыт работы краевого ресурсного центра по теме «Научно-методическое сопровождение "
                  "профессионального роста педагога в условиях деятельности стажировочных площадок»",
         "direction": "Диссеминация лучших практик", "form": "Конференция",
         "audiences": ["Методисты ТМС"],
         "timing_text": "Сентябрь-декабрь 2023",
         "expected_result": "Опыт ресурсного центра обобщён и представлен на краевом уровне",
         "responsible": "Краевой ресурсный центр", "status": "planned", "site": None, "sessions": []},
     ]},
]

SITE_SESSIONS = [
    {"site": "site-krd-sosh12-ikt", "title": "Модуль 1. Ресурсы ФГИС «Моя школа» на уроке",
     "form": "Занятие на стажировочной площадке", "direction": "ИКТ-компетенции",
     "audiences": ["Молодые педагоги", "Учителя-предметники"],
     "month": 10, "day": 7, "start": "14:30", "hours": 2, "delivery": "in_person", "capacity": 20,
     "approval_required": True,
     "description": "Первое занятие программы площадки: поиск и встраивание цифрового контента в урок. "
                    "Нужны данные для входа в ФГИС «Моя школа».",
     "materials": [("Памятка по ресурсам ФГИС «Моя школа»", "https://example.org/materials/moya-shkola.pdf")]},
    {"site": "site-krd-sosh12-ikt", "title": "Модуль 2. Интерактивные задания и онлайн-опросы",
     "form": "Занятие на стажировочной площадке", "direction": "ИКТ-компетенции",
     "audiences": ["Молодые педагоги", "Учителя-предметники"],
     "month": 12, "day": 16, "start": "14:30", "hours": 2, "delivery": "in_person", "capacity": 20,
     "approval_required": True,
     "description": "Стажёры создадут интерактивное задание к своему уроку и проверят его на коллегах. "
                    "Возьмите ноутбук.",
     "materials": []},
    {"site": "site-tim-sosh1-metod", "title": "Педагогическая мастерская «Урок молодого учителя глазами наставника»",
     "form": "Педагогическая мастерская", "direction": "Молодые педагоги и наставничество",
     "audiences": ["Молодые педагоги", "Наставники"],
     "month": 2, "day": 26, "start": "14:00", "hours": 3, "delivery": "in_person", "capacity": 20,
     "approval_required": True,
     "description": "Молодые учителя проводят урок, наставники анализируют его по общей схеме. "
                    "Пары «наставник — наставляемый» регистрируются вместе.",
     "materials": []},
    {"site": "site-tim-sosh4-oko", "title": "Критериальное оценивание: разработка критериев к контрольной работе",
     "form": "Занятие на стажировочной площадке", "direction": "Оценка качества образования",
     "audiences": ["Учителя-предметники"],
     "month": 11, "day": 11, "start": "14:00", "hours": 2, "delivery": "in_person", "capacity": 25,
     "approval_required": False,
     "description": "Участники составят критерии и дескрипторы к своей контрольной работе. "
                    "Возьмите текст работы по своему предмету.",
     "materials": []},
    {"site": "site-tim-sosh5-stupenki", "title": "Тренинг «Трудный разговор с родителями»",
     "form": "Тренинг", "direction": "Психолого-педагогические компетенции",
     "audiences": ["Классные руководители", "Молодые педагоги"],
     "month": 1, "day": 20, "start": "15:00", "hours": 2, "delivery": "in_person", "capacity": 16,
     "approval_required": False,
     "description": "Ролевые ситуации и приёмы конструктивного диалога с родителями. "
                    "Группа до 16 человек.",
     "materials": []},
    {"site": "site-tim-sosh11-sdm", "title": "Стажировка «Урок рефлексии в начальной школе»",
     "form": "Стажировка", "direction": "Системно-деятельностный метод",
     "audiences": ["Молодые педагоги"],
     "month": 3, "day": 4, "start": "08:30", "hours": 5, "delivery": "in_person", "capacity": 10,
     "approval_required": True,
     "description": "Стажёр проводит день в классе педагога-мастера: наблюдение, проведение фрагмента "
                    "урока, разбор. Заявку согласует координатор школы.",
     "materials": []},
    {"site": "site-tim-sosh13-zdorov", "title": "Открытый урок с динамическими паузами (3 класс)",
     "form": "Открытый урок", "direction": "Здоровьесберегающие технологии",
     "audiences": ["Учителя-предметники"],
     "month": 4, "day": 14, "start": "10:00", "hours": 2, "delivery": "in_person", "capacity": 15,
     "approval_required": False,
     "description": "Урок математики с тремя динамическими паузами и обсуждение после урока. "
                    "Сменная обувь обязательна.",
     "materials": []},
    {"site": "site-krd-ds115-ppsr", "title": "Центры активности в группе раннего возраста",
     "form": "Занятие на стажировочной площадке", "direction": "Предметно-развивающая среда ДОО",
     "audiences": ["Педагоги ДОУ", "Молодые педагоги"],
     "month": 2, "day": 25, "start": "13:30", "hours": 2, "delivery": "in_person", "capacity": 20,
     "approval_required": False,
     "description": "Обход групп раннего возраста и разбор зонирования. Участники составят "
                    "план изменений среды своей группы.",
     "materials": []},
    {"site": "site-krym-sosh3-mgmt", "title": "Взаимная стажировка управленческих команд: SWOT-анализ школы",
     "form": "Стажировка", "direction": "Эффективность руководителей",
     "audiences": ["Управленческие команды"],
     "month": 10, "day": 24, "start": "10:00", "hours": 4, "delivery": "in_person", "capacity": 30,
     "approval_required": True,
     "description": "Команды школ «скрытого резерва» проводят день в школе-лидере и составляют "
                    "SWOT-анализ своей школы. Только для управленческих команд.",
     "materials": [("Чек-лист обратной связи участника стажировки", "https://example.org/materials/chek-list.pdf")]},
    {"site": "site-krym-sosh3-mgmt", "title": "Семинар-практикум «Школа с рисками учебной неуспешности: дорожная карта»",
     "form": "Семинар-практикум", "direction": "Школы с низкими образовательными результатами",
     "audiences": ["Управленческие команды"],
     "month": 3, "day": 13, "start": "10:00", "hours": 3, "delivery": "blended", "capacity": 40,
     "approval_required": True,
     "description": "Разбор дорожных карт школ с низкими результатами и обмен приёмами повышения "
                    "мотивации обучающихся. Можно подключиться онлайн.",
     "materials": []},
    {"site": "site-krd-sosh12-fg", "title": "Консультация по запросу: естественно-научная грамотность",
     "form": "Индивидуальная консультация", "direction": "Предметные компетенции",
     "audiences": ["Учителя-предметники"],
     "month": 1, "day": 23, "start": "15:00", "hours": 1, "delivery": "online", "capacity": 10,
     "approval_required": False,
     "description": "Консультация учителей физики, химии и биологии по заданиям на естественно-научную "
                    "грамотность. Вопросы присылайте заранее.",
     "materials": []},
    {"site": "site-ber-sosh1-profor", "title": "Профессиональные пробы: конструктор программы самоопределения",
     "form": "Занятие на стажировочной площадке", "direction": "Самоопределение и профориентация",
     "audiences": ["Классные руководители", "Управленческие команды"],
     "month": 11, "day": 18, "start": "14:00", "hours": 3, "delivery": "in_person", "capacity": 25,
     "approval_required": False,
     "description": "Школа покажет программу профессиональных проб с предприятиями округа. Участники "
                    "получат конструктор программы самоопределения и экспресс-опросник.",
     "materials": [("Конструктор программы профессионального самоопределения", "https://example.org/materials/proforientaciya.docx")]},
    {"site": "site-ber-sosh1-profor", "title": "Вебинар «Карта интересов обучающихся: как провести и использовать»",
     "form": "Вебинар", "direction": "Самоопределение и профориентация",
     "audiences": ["Классные руководители"],
     "month": 4, "day": 15, "start": "15:00", "hours": 1, "delivery": "online", "capacity": 100,
     "approval_required": False,
     "description": "Время начала указано по Екатеринбургу. Разбор методики карты интересов и "
                    "примеры её использования в 8–9 классах.",
     "materials": []},
    {"site": "site-krd-gimn44-innov", "title": "Школа наставника: диагностика дефицитов молодого педагога",
     "form": "Семинар-практикум", "direction": "Молодые педагоги и наставничество",
     "audiences": ["Наставники"],
     "month": 12, "day": 4, "start": "15:00", "hours": 2, "delivery": "in_person", "capacity": 25,
     "approval_required": False,
     "description": "Наставники освоят карту наблюдения урока и беседу по итогам. "
                    "Возьмите план работы со своим наставляемым.",
     "materials": []},
]
