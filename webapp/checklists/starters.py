"""Starter feedback check-list templates (the app's template export/import format), as plain data.

Wording is grounded in the seed documents: post_session in doc 003 (work "by a model", materials
handed out) and doc 002 (deficits); internship_reflection in doc 000 (what an internship comprises)
and doc 004 (IOM, reflection); host_self_report in docs 003 and 001 (self-assessment);
competence_self_assessment in docs 004 and 002 (competence areas); yearly_satisfaction in doc 002
(the November survey); head_delayed_assessment in doc 001 (the employer's delayed assessment).
"""

from __future__ import annotations

STARTERS: list[dict] = [
    # ------------------------------------------------------------------------------------------
    # 1. Participants' feedback right after a session (docs 003, 002)
    # ------------------------------------------------------------------------------------------
    {
        "starter_key": "post_session",
        "title": "Обратная связь участника по итогам мероприятия",
        "instructions": (
            "Пожалуйста, ответьте на вопросы о мероприятии, в котором вы только что участвовали. "
            "Это займёт 3–5 минут. Ваши ответы помогут ведущим и руководителю площадки доработать "
            "программу, а методической службе — спланировать адресную помощь по тем затруднениям, "
            "которые остались. Результаты рассматриваются только в обобщённом виде."
        ),
        "items": [
            {"key": "sec_content", "kind": "section", "text": "Раздел: содержание мероприятия",
             "help": "", "required": False, "settings": {}},
            {"key": "relevance", "kind": "scale",
             "text": "Насколько содержание мероприятия соответствовало вашим профессиональным "
                     "дефицитам и запросам?",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 5, "min_label": "Совсем не соответствовало",
                          "max_label": "Полностью соответствовало"}},
            {"key": "practical_focus", "kind": "scale",
             "text": "Оцените практическую направленность мероприятия: насколько много было того, "
                     "что можно перенести в работу на уроке (занятии)?",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 5, "min_label": "Преимущественно теория",
                          "max_label": "Преимущественно практика"}},
            {"key": "materials_usable", "kind": "ypn",
             "text": "Получили ли вы материалы, которые сможете использовать в своей работе?",
             "help": "Например: типовые положения, конструкторы, схемы анализа урока, опросники, "
                     "технологические карты.",
             "required": True, "settings": {}},
            {"key": "materials_which", "kind": "multiple",
             "text": "Какие материалы вы планируете использовать?",
             "help": "", "required": False,
             "settings": {"options": [
                 {"value": "local_docs", "label": "Типовые положения и локальные акты"},
                 {"value": "constructors", "label": "Конструкторы (программ, уроков, занятий)"},
                 {"value": "analysis_schemes", "label": "Схемы анализа урока (занятия)"},
                 {"value": "questionnaires", "label": "Опросники и диагностические методики"},
                 {"value": "tech_maps", "label": "Технологические карты, конспекты уроков (занятий)"},
                 {"value": "didactic", "label": "Дидактические и цифровые материалы"},
             ], "max_choices": 6},
             "show_if": {"key": "materials_usable", "values": ["yes", "partial"]}},
            {"key": "sec_practice", "kind": "section", "text": "Раздел: применение в практике",
             "help": "Ответы этого раздела помогут при отсроченной оценке: через несколько месяцев "
                     "мы спросим, что удалось применить.",
             "required": False, "settings": {}},
            {"key": "apply_what", "kind": "long_text",
             "text": "Что из увиденного и услышанного вы примените в своей практике? Назовите "
                     "конкретный приём, форму работы или материал.",
             "help": "", "required": True, "settings": {"max_length": 2000}},
            {"key": "apply_when", "kind": "single",
             "text": "Когда вы планируете применить это впервые?",
             "help": "", "required": True,
             "settings": {"options": [
                 {"value": "week", "label": "В течение недели"},
                 {"value": "month", "label": "В течение месяца"},
                 {"value": "term", "label": "В этой четверти (полугодии)"},
                 {"value": "not_planned", "label": "Пока не планирую"},
             ]}},
            {"key": "difficulties", "kind": "ypn",
             "text": "Остались ли у вас вопросы или затруднения по теме мероприятия?",
             "help": "", "required": True, "settings": {}},
            {"key": "difficulty_what", "kind": "long_text",
             "text": "Какие именно вопросы или затруднения остались?",
             "help": "", "required": False, "settings": {"max_length": 2000},
             "show_if": {"key": "difficulties", "values": ["yes", "partial"]}},
            {"key": "support_form", "kind": "single",
             "text": "Какая форма поддержки помогла бы вам больше всего?",
             "help": "", "required": False,
             "settings": {"options": [
                 {"value": "individual", "label": "Индивидуальная консультация"},
                 {"value": "group", "label": "Групповая консультация или семинар-практикум"},
                 {"value": "visit", "label": "Посещение уроков (занятий) педагога-мастера"},
                 {"value": "remote", "label": "Дистанционная консультация"},
                 {"value": "self_study", "label": "Материалы для самостоятельного изучения"},
             ]},
             "show_if": {"key": "difficulties", "values": ["yes", "partial"]}},
            {"key": "sec_overall", "kind": "section", "text": "Раздел: общая оценка",
             "help": "", "required": False, "settings": {}},
            {"key": "organization", "kind": "scale",
             "text": "Оцените организацию мероприятия: время, место, техническое обеспечение, "
                     "соблюдение регламента.",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 5, "min_label": "Плохо", "max_label": "Отлично"}},
            {"key": "overall", "kind": "scale",
             "text": "Ваша общая оценка мероприятия",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 10, "min_label": "Очень низкая",
                          "max_label": "Очень высокая"}},
            {"key": "recommend", "kind": "ypn",
             "text": "Порекомендуете ли вы это мероприятие (площадку) коллегам?",
             "help": "", "required": True, "settings": {}},
            {"key": "suggestions", "kind": "short_text",
             "text": "Ваши пожелания ведущим и организаторам",
             "help": "", "required": False, "settings": {"max_length": 500}},
        ],
    },
    # ------------------------------------------------------------------------------------------
    # 2. Internship reflection (doc 000: what an internship comprises; doc 004: IOM, reflection)
    # ------------------------------------------------------------------------------------------
    {
        "starter_key": "internship_reflection",
        "title": "Рефлексия стажёра по итогам стажировки на стажировочной площадке",
        "instructions": (
            "Эта анкета подводит итог вашей стажировки. Она займёт 10–15 минут. Вспомните, с какой "
            "профессиональной задачей вы пришли на площадку, что удалось освоить и что вы переносите "
            "в свою образовательную организацию. Ответы помогут руководителю площадки и "
            "педагогам-мастерам скорректировать модульную программу, а вам — зафиксировать результат "
            "в журнале профессионального роста и индивидуальном образовательном маршруте (ИОМ)."
        ),
        "items": [
            {"key": "sec_goal", "kind": "section", "text": "Раздел: цель стажировки",
             "help": "", "required": False, "settings": {}},
            {"key": "goal_text", "kind": "short_text",
             "text": "Какую профессиональную задачу (дефицит) вы ставили перед собой, приступая к "
                     "стажировке?",
             "help": "", "required": True, "settings": {"max_length": 500}},
            {"key": "goal_reached", "kind": "scale",
             "text": "В какой мере эта задача решена?",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 5, "min_label": "Не решена",
                          "max_label": "Решена полностью"}},
            {"key": "sec_components", "kind": "section", "text": "Раздел: элементы стажировки",
             "help": "Стажировка строится через включение стажёра в практику образовательной "
                     "организации, на базе которой она проходит. Отметьте, что входило в вашу "
                     "стажировку, и оцените пользу каждого элемента.",
             "required": False, "settings": {}},
            {"key": "components", "kind": "multiple",
             "text": "Какие элементы входили в вашу стажировку?",
             "help": "", "required": True,
             "settings": {"options": [
                 {"value": "theory", "label": "Самостоятельная теоретическая подготовка"},
                 {"value": "study_practice",
                  "label": "Изучение организации и технологии образовательного процесса на площадке "
                           "(посещение уроков, занятий, мероприятий)"},
                 {"value": "participation",
                  "label": "Непосредственное участие в образовательном процессе (проведение уроков, "
                           "занятий или их фрагментов)"},
                 {"value": "workshops",
                  "label": "Освоение профессиональных и организаторских навыков в педагогической "
                           "мастерской, на мастер-классах"},
                 {"value": "documents", "label": "Работа с нормативной и другой документацией"},
                 {"value": "understudy",
                  "label": "Выполнение обязанностей должностного лица в качестве дублёра"},
                 {"value": "meetings", "label": "Участие в совещаниях, деловых встречах"},
                 {"value": "reflection", "label": "Совместный анализ и рефлексия с педагогом-мастером"},
             ], "max_choices": 8}},
            {"key": "components_rating", "kind": "matrix",
             "text": "Оцените, насколько полезным для вас оказался каждый элемент стажировки.",
             "help": "Оценивайте только те элементы, которые были в вашей стажировке; остальные "
                     "строки оставьте без оценки.",
             "required": False,
             "settings": {"rows": [
                 {"key": "theory", "label": "Самостоятельная теоретическая подготовка"},
                 {"key": "study_practice",
                  "label": "Изучение организации и технологии образовательного процесса на площадке"},
                 {"key": "participation", "label": "Непосредственное участие в образовательном процессе"},
                 {"key": "workshops", "label": "Педагогическая мастерская, мастер-классы"},
                 {"key": "documents", "label": "Работа с нормативной и другой документацией"},
                 {"key": "understudy", "label": "Работа в качестве дублёра должностного лица"},
                 {"key": "meetings", "label": "Совещания, деловые встречи"},
                 {"key": "reflection", "label": "Совместный анализ и рефлексия с педагогом-мастером"},
             ], "min": 1, "max": 5, "min_label": "Бесполезно", "max_label": "Очень полезно"}},
            {"key": "mentor_support", "kind": "scale",
             "text": "Насколько вам хватало поддержки педагога-мастера (наставника) во время "
                     "стажировки?",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 5, "min_label": "Поддержки не хватало",
                          "max_label": "Поддержки было достаточно"}},
            {"key": "sec_result", "kind": "section", "text": "Раздел: результат стажировки",
             "help": "", "required": False, "settings": {}},
            {"key": "product_kind", "kind": "single",
             "text": "Какой продукт стажировки вы разработали?",
             "help": "Если продуктов несколько, выберите основной.",
             "required": True,
             "settings": {"options": [
                 {"value": "own_model",
                  "label": "Собственная модель (вариант) профессиональной деятельности, адаптированная "
                           "к условиям своей образовательной организации"},
                 {"value": "lesson", "label": "Конспект или технологическая карта урока (занятия)"},
                 {"value": "program", "label": "Рабочая программа, программа курса или модуля"},
                 {"value": "didactic", "label": "Дидактические или цифровые материалы"},
                 {"value": "diagnostic", "label": "Диагностические методики, опросники"},
                 {"value": "local_doc",
                  "label": "Проект локального документа (положение, конструктор, схема анализа)"},
                 {"value": "none", "label": "Продукта пока нет"},
             ]}},
            {"key": "product_desc", "kind": "long_text",
             "text": "Кратко опишите продукт: тема, назначение, для каких классов (групп) он "
                     "предназначен.",
             "help": "", "required": False, "settings": {"max_length": 2000},
             "show_if": {"key": "product_kind",
                         "values": ["own_model", "lesson", "program", "didactic", "diagnostic",
                                    "local_doc"]}},
            {"key": "practice_takeaway", "kind": "long_text",
             "text": "Какую практику, увиденную на площадке, вы перенесёте в свою образовательную "
                     "организацию? Что придётся изменить с учётом её условий?",
             "help": "", "required": True, "settings": {"max_length": 3000}},
            {"key": "ready_to_apply", "kind": "ypn",
             "text": "Готовы ли вы применять освоенное самостоятельно, без дополнительной помощи?",
             "help": "", "required": True, "settings": {}},
            {"key": "help_needed", "kind": "long_text",
             "text": "Какая помощь вам понадобится и от кого (педагог-мастер, методист, тьютор, "
                     "администрация вашей образовательной организации)?",
             "help": "", "required": False, "settings": {"max_length": 2000},
             "show_if": {"key": "ready_to_apply", "values": ["partial", "no"]}},
            {"key": "self_study_hours", "kind": "number",
             "text": "Сколько часов самостоятельной работы (подготовка, разработка продукта) "
                     "потребовала стажировка помимо занятий на площадке?",
             "help": "Укажите примерно. Часы занятий на площадке учитываются по отметкам "
                     "посещаемости.",
             "required": False, "settings": {"min": 0, "max": 200, "integer": True}},
            {"key": "overall", "kind": "scale",
             "text": "Ваша общая оценка стажировки",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 10, "min_label": "Очень низкая",
                          "max_label": "Очень высокая"}},
        ],
    },
    # ------------------------------------------------------------------------------------------
    # 3. Host's self-report on a session (doc 003: work by a model; doc 001: self-assessment)
    # ------------------------------------------------------------------------------------------
    {
        "starter_key": "host_self_report",
        "title": "Самоотчёт руководителя площадки (ведущего) о проведённом мероприятии",
        "instructions": (
            "Заполните самоотчёт в течение 2–3 дней после мероприятия, пока детали свежи в памяти; "
            "это займёт около 10 минут. Самоотчёт видят куратор площадки и методист территории. "
            "Вместе с отзывами участников он помогает дорабатывать программу площадки по модели и "
            "планировать дальнейшее сопровождение участников."
        ),
        "items": [
            {"key": "sec_plan", "kind": "section", "text": "Раздел: проведение по программе",
             "help": "", "required": False, "settings": {}},
            {"key": "on_plan", "kind": "ypn",
             "text": "Прошло ли мероприятие в соответствии с программой площадки (цели, содержание, "
                     "регламент)?",
             "help": "", "required": True, "settings": {}},
            {"key": "deviations", "kind": "long_text",
             "text": "Что пошло не по плану и почему?",
             "help": "", "required": False, "settings": {"max_length": 2000},
             "show_if": {"key": "on_plan", "values": ["partial", "no"]}},
            {"key": "goal_reached", "kind": "scale",
             "text": "В какой мере достигнут запланированный результат мероприятия?",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 5, "min_label": "Не достигнут",
                          "max_label": "Достигнут полностью"}},
            {"key": "engaged_count", "kind": "number",
             "text": "Сколько участников было активно вовлечено в работу (выполняли задания, "
                     "выступали, работали в группах)?",
             "help": "Не путайте с числом присутствующих: посещаемость отмечается в списке участников.",
             "required": True, "settings": {"min": 0, "max": 500, "integer": True}},
            {"key": "activity", "kind": "scale",
             "text": "Оцените активность участников в целом.",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 5, "min_label": "Пассивное слушание",
                          "max_label": "Высокая вовлечённость"}},
            {"key": "sec_analysis", "kind": "section", "text": "Раздел: анализ мероприятия",
             "help": "", "required": False, "settings": {}},
            {"key": "forms_used", "kind": "multiple",
             "text": "Какие формы работы с участниками использовались?",
             "help": "", "required": True,
             "settings": {"options": [
                 {"value": "mini_lecture", "label": "Мини-лекция, выступление"},
                 {"value": "open_lesson", "label": "Открытый урок (занятие)"},
                 {"value": "master_class", "label": "Мастер-класс"},
                 {"value": "workshop", "label": "Педагогическая мастерская"},
                 {"value": "group_work", "label": "Работа в группах"},
                 {"value": "business_game", "label": "Деловая игра"},
                 {"value": "discussion", "label": "Дискуссия, круглый стол"},
                 {"value": "cases", "label": "Разбор педагогических ситуаций (кейсов)"},
                 {"value": "reflection", "label": "Рефлексия"},
             ], "max_choices": 9}},
            {"key": "what_worked", "kind": "long_text",
             "text": "Что сработало лучше всего (приёмы, задания, формы работы)?",
             "help": "", "required": True, "settings": {"max_length": 2000}},
            {"key": "what_change", "kind": "long_text",
             "text": "Что вы измените при повторном проведении?",
             "help": "", "required": True, "settings": {"max_length": 2000}},
            {"key": "participant_difficulties", "kind": "long_text",
             "text": "Какие профессиональные затруднения участников проявились во время мероприятия?",
             "help": "Эти сведения помогают методической службе уточнить дефициты и спланировать "
                     "адресную помощь.",
             "required": False, "settings": {"max_length": 2000}},
            {"key": "sec_followup", "kind": "section",
             "text": "Раздел: материалы и дальнейшая работа",
             "help": "", "required": False, "settings": {}},
            {"key": "materials_given", "kind": "ypn",
             "text": "Получили ли участники методические материалы (типовые положения, конструкторы, "
                     "схемы анализа, опросники)?",
             "help": "", "required": True, "settings": {}},
            {"key": "materials_link", "kind": "short_text",
             "text": "Где размещены материалы (ссылка на виртуальный методический кабинет или сайт "
                     "площадки)?",
             "help": "", "required": False, "settings": {"max_length": 300},
             "show_if": {"key": "materials_given", "values": ["yes", "partial"]}},
            {"key": "followup", "kind": "single",
             "text": "Какое продолжение работы по теме требуется участникам?",
             "help": "Если нужно несколько, выберите главное, остальное укажите ниже.",
             "required": True,
             "settings": {"options": [
                 {"value": "none", "label": "Не требуется"},
                 {"value": "consultations", "label": "Индивидуальные консультации отдельным участникам"},
                 {"value": "practicum", "label": "Повторное занятие или семинар-практикум"},
                 {"value": "lesson_visits", "label": "Посещение уроков (занятий) участников"},
                 {"value": "plan_item", "label": "Включение темы в план сетевых мероприятий"},
             ]}},
            {"key": "followup_details", "kind": "short_text",
             "text": "Кому и в какие сроки нужно продолжение?",
             "help": "", "required": False, "settings": {"max_length": 500},
             "show_if": {"key": "followup",
                         "values": ["consultations", "practicum", "lesson_visits", "plan_item"]}},
        ],
    },
    # ------------------------------------------------------------------------------------------
    # 4. Teacher's competence self-assessment (doc 004: four groups; doc 002: three more areas)
    # ------------------------------------------------------------------------------------------
    {
        "starter_key": "competence_self_assessment",
        "title": "Самооценка профессиональных компетенций педагога",
        "instructions": (
            "Самооценка поможет вам вместе с тьютором (куратором) определить, какие компетенции "
            "развивать в первую очередь, и выстроить индивидуальный образовательный маршрут (ИОМ). "
            "Это не аттестация и не проверка: оценивайте себя честно, опираясь на свою реальную "
            "работу за последний год. Заполнение займёт 10–15 минут."
        ),
        "items": [
            {"key": "sec_about", "kind": "section", "text": "Раздел: о вас",
             "help": "", "required": False, "settings": {}},
            {"key": "position", "kind": "single",
             "text": "Ваша должность",
             "help": "", "required": True,
             "settings": {"options": [
                 {"value": "teacher", "label": "Учитель"},
                 {"value": "preschool", "label": "Воспитатель, педагог дошкольной организации"},
                 {"value": "additional", "label": "Педагог дополнительного образования"},
                 {"value": "specialist", "label": "Педагог-психолог, учитель-логопед, дефектолог"},
                 {"value": "manager", "label": "Руководитель или заместитель руководителя"},
                 {"value": "other", "label": "Другое"},
             ]}},
            {"key": "sec_competences", "kind": "section", "text": "Раздел: самооценка компетенций",
             "help": "1 — серьёзный дефицит, нужна помощь; 5–6 — владею на базовом уровне; "
                     "10 — владею уверенно и могу обучать коллег.",
             "required": False, "settings": {}},
            {"key": "competences", "kind": "matrix",
             "text": "Оцените, насколько вы владеете компетенциями каждой группы.",
             "help": "", "required": True,
             "settings": {"rows": [
                 {"key": "subject",
                  "label": "Предметные: знание преподаваемого предмета, его содержания и концепции "
                           "преподавания"},
                 {"key": "methodical",
                  "label": "Методические: проектирование урока (занятия), выбор технологий, методов и "
                           "средств обучения, оценивание результатов"},
                 {"key": "psych_ped",
                  "label": "Психолого-педагогические: учёт возрастных и индивидуальных особенностей, "
                           "работа с детьми с особыми образовательными потребностями"},
                 {"key": "communicative",
                  "label": "Коммуникативные: взаимодействие с обучающимися, родителями, коллегами; "
                           "ведение диалога, разрешение конфликтов"},
                 {"key": "values",
                  "label": "Ценностно-личностные: профессиональная позиция, воспитательная работа, "
                           "рефлексия собственной деятельности"},
                 {"key": "managerial",
                  "label": "Управленческие: управление образовательной деятельностью, проектом, "
                           "работой группы"},
                 {"key": "digital",
                  "label": "Цифровые: использование цифровых ресурсов, сервисов и цифровой "
                           "образовательной среды"},
             ], "min": 1, "max": 10, "min_label": "Серьёзный дефицит",
                "max_label": "Владею уверенно, могу обучать коллег"}},
            {"key": "diagnostics_done", "kind": "ypn",
             "text": "Проходили ли вы за последние два года диагностику профессиональных дефицитов "
                     "(в ЦНППМ, на федеральной платформе, в своей образовательной организации)?",
             "help": "«Частично» — если диагностика охватывала не все группы компетенций.",
             "required": True, "settings": {}},
            {"key": "diagnostics_match", "kind": "scale",
             "text": "Насколько ваша самооценка совпадает с результатами диагностики?",
             "help": "", "required": False,
             "settings": {"min": 1, "max": 5, "min_label": "Совсем не совпадает",
                          "max_label": "Полностью совпадает"},
             "show_if": {"key": "diagnostics_done", "values": ["yes", "partial"]}},
            {"key": "sec_support", "kind": "section", "text": "Раздел: потребность в поддержке",
             "help": "", "required": False, "settings": {}},
            {"key": "support_areas", "kind": "multiple",
             "text": "В каких областях вам прежде всего нужна поддержка? Выберите не более трёх.",
             "help": "", "required": True,
             "settings": {"options": [
                 {"value": "subject", "label": "Предметные компетенции"},
                 {"value": "methodical", "label": "Методические компетенции"},
                 {"value": "psych_ped", "label": "Психолого-педагогические компетенции"},
                 {"value": "communicative", "label": "Коммуникативные компетенции"},
                 {"value": "values", "label": "Ценностно-личностные компетенции"},
                 {"value": "managerial", "label": "Управленческие компетенции"},
                 {"value": "digital", "label": "Цифровые компетенции"},
             ], "max_choices": 3}},
            {"key": "support_forms", "kind": "multiple",
             "text": "Какие формы поддержки для вас предпочтительны? Выберите не более трёх.",
             "help": "", "required": False,
             "settings": {"options": [
                 {"value": "internship", "label": "Стажировка на стажировочной площадке"},
                 {"value": "practicum", "label": "Семинар-практикум"},
                 {"value": "master_class", "label": "Мастер-класс, педагогическая мастерская"},
                 {"value": "consultation", "label": "Индивидуальная консультация"},
                 {"value": "mentoring", "label": "Наставничество"},
                 {"value": "courses", "label": "Курсы повышения квалификации"},
                 {"value": "lesson_visits", "label": "Взаимопосещение уроков (занятий)"},
                 {"value": "self_study", "label": "Самообразование с сопровождением тьютора"},
             ], "max_choices": 3}},
            {"key": "goals", "kind": "long_text",
             "text": "Сформулируйте одну-две профессиональные задачи, которые вы хотите решить в "
                     "этом учебном году.",
             "help": "Например: «научиться проектировать уроки на формирование читательской "
                     "грамотности в 5–6 классах».",
             "required": False, "settings": {"max_length": 2000}},
            {"key": "sec_share", "kind": "section", "text": "Раздел: готовность делиться опытом",
             "help": "", "required": False, "settings": {}},
            {"key": "share_ready", "kind": "ypn",
             "text": "Готовы ли вы поделиться собственным опытом с коллегами сети?",
             "help": "", "required": True, "settings": {}},
            {"key": "share_forms", "kind": "multiple",
             "text": "В какой форме вы готовы поделиться опытом?",
             "help": "", "required": False,
             "settings": {"options": [
                 {"value": "open_lesson", "label": "Открытый урок (занятие)"},
                 {"value": "master_class", "label": "Мастер-класс"},
                 {"value": "talk", "label": "Выступление на семинаре, РМО, конференции"},
                 {"value": "mentoring", "label": "Наставничество молодого педагога"},
                 {"value": "materials", "label": "Публикация методических материалов"},
             ], "max_choices": 5},
             "show_if": {"key": "share_ready", "values": ["yes", "partial"]}},
            {"key": "share_topic", "kind": "short_text",
             "text": "Тема опыта, которым вы готовы поделиться",
             "help": "", "required": False, "settings": {"max_length": 300},
             "show_if": {"key": "share_ready", "values": ["yes", "partial"]}},
        ],
    },
    # ------------------------------------------------------------------------------------------
    # 5. Yearly November survey of satisfaction with methodical help (doc 002)
    # ------------------------------------------------------------------------------------------
    {
        "starter_key": "yearly_satisfaction",
        "title": "Ежегодное анкетирование педагогов: удовлетворённость методической помощью",
        "instructions": (
            "Уважаемые коллеги! Методическая служба ежегодно в ноябре проводит анкетирование, чтобы "
            "оценить, насколько методическая помощь отвечает вашим потребностям, и скорректировать "
            "план работы на следующий год. Анкета займёт 7–10 минут. Фамилию указывать не нужно; "
            "результаты анализируются только в обобщённом виде и сравниваются с прошлыми годами."
        ),
        "items": [
            {"key": "sec_about", "kind": "section", "text": "Раздел: о вас",
             "help": "", "required": False, "settings": {}},
            {"key": "position", "kind": "single",
             "text": "Ваша должность",
             "help": "", "required": True,
             "settings": {"options": [
                 {"value": "teacher", "label": "Учитель"},
                 {"value": "preschool", "label": "Воспитатель, педагог дошкольной организации"},
                 {"value": "additional", "label": "Педагог дополнительного образования"},
                 {"value": "specialist", "label": "Педагог-психолог, учитель-логопед, дефектолог"},
                 {"value": "manager", "label": "Руководитель или заместитель руководителя"},
                 {"value": "other", "label": "Другое"},
             ]}},
            {"key": "experience", "kind": "single",
             "text": "Ваш педагогический стаж",
             "help": "", "required": True,
             "settings": {"options": [
                 {"value": "under_3", "label": "До 3 лет"},
                 {"value": "y3_10", "label": "От 3 до 10 лет"},
                 {"value": "y10_20", "label": "От 10 до 20 лет"},
                 {"value": "over_20", "label": "Более 20 лет"},
             ]}},
            {"key": "sec_satisfaction", "kind": "section",
             "text": "Раздел: удовлетворённость методической помощью",
             "help": "Оценивайте помощь, полученную за последний год (с ноября прошлого года).",
             "required": False, "settings": {}},
            {"key": "overall_satisfaction", "kind": "scale",
             "text": "В целом насколько вы удовлетворены методической помощью, полученной за год?",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 10, "min_label": "Совсем не удовлетворён(а)",
                          "max_label": "Полностью удовлетворён(а)"}},
            {"key": "forms_satisfaction", "kind": "matrix",
             "text": "Оцените формы методического сопровождения, в которых вы участвовали.",
             "help": "Если вы не участвовали в какой-либо форме, оставьте строку без оценки.",
             "required": False,
             "settings": {"rows": [
                 {"key": "rmo", "label": "Районные (муниципальные) методические объединения"},
                 {"key": "seminars", "label": "Семинары, семинары-практикумы"},
                 {"key": "internship_sites", "label": "Занятия на стажировочных площадках"},
                 {"key": "master_classes", "label": "Мастер-классы, педагогические мастерские"},
                 {"key": "consultations", "label": "Групповые и индивидуальные консультации"},
                 {"key": "mentoring", "label": "Наставничество"},
                 {"key": "courses", "label": "Курсы повышения квалификации"},
                 {"key": "diagnostics_iom",
                  "label": "Диагностика профессиональных дефицитов и сопровождение ИОМ"},
                 {"key": "contests", "label": "Конкурсы профессионального мастерства"},
             ], "min": 1, "max": 5, "min_label": "Совсем не удовлетворён(а)",
                "max_label": "Полностью удовлетворён(а)"}},
            {"key": "most_useful", "kind": "multiple",
             "text": "Какие формы методической помощи были для вас наиболее полезными? Выберите не "
                     "более трёх.",
             "help": "", "required": True,
             "settings": {"options": [
                 {"value": "rmo", "label": "Методические объединения"},
                 {"value": "seminars", "label": "Семинары, семинары-практикумы"},
                 {"value": "internship_sites", "label": "Стажировочные площадки"},
                 {"value": "master_classes", "label": "Мастер-классы, педагогические мастерские"},
                 {"value": "consultations", "label": "Консультации"},
                 {"value": "mentoring", "label": "Наставничество"},
                 {"value": "courses", "label": "Курсы повышения квалификации"},
                 {"value": "diagnostics_iom", "label": "Диагностика дефицитов и ИОМ"},
                 {"value": "contests", "label": "Конкурсы профессионального мастерства"},
             ], "max_choices": 3}},
            {"key": "help_timely", "kind": "ypn",
             "text": "Получали ли вы методическую помощь тогда, когда она была вам нужна?",
             "help": "", "required": True, "settings": {}},
            {"key": "help_missing", "kind": "long_text",
             "text": "В какой ситуации вам не хватило методической помощи?",
             "help": "", "required": False, "settings": {"max_length": 2000},
             "show_if": {"key": "help_timely", "values": ["partial", "no"]}},
            {"key": "information", "kind": "scale",
             "text": "Насколько удобно вам узнавать о планируемых мероприятиях (план, календарь, "
                     "рассылки, сайт)?",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 5, "min_label": "Очень неудобно",
                          "max_label": "Очень удобно"}},
            {"key": "sec_needs", "kind": "section", "text": "Раздел: потребности на следующий год",
             "help": "", "required": False, "settings": {}},
            {"key": "needs_topics", "kind": "multiple",
             "text": "По каким темам вам нужна методическая помощь в следующем году? Выберите не "
                     "более трёх.",
             "help": "", "required": True,
             "settings": {"options": [
                 {"value": "functional_literacy", "label": "Формирование функциональной грамотности"},
                 {"value": "subject_concepts",
                  "label": "Реализация концепций преподавания учебных предметов"},
                 {"value": "fgos_programs", "label": "Обновлённые ФГОС, рабочие программы"},
                 {"value": "academic_failure",
                  "label": "Работа с обучающимися с трудностями в обучении"},
                 {"value": "upbringing", "label": "Воспитательная работа, классное руководство"},
                 {"value": "digital", "label": "Цифровые инструменты и ресурсы"},
                 {"value": "projects", "label": "Проектная и исследовательская деятельность"},
                 {"value": "assessment", "label": "Оценка образовательных результатов"},
                 {"value": "burnout", "label": "Профилактика профессионального выгорания"},
                 {"value": "mentoring", "label": "Наставничество, работа с молодыми педагогами"},
             ], "max_choices": 3}},
            {"key": "needs_other", "kind": "short_text",
             "text": "Другие темы, по которым вам нужна помощь",
             "help": "", "required": False, "settings": {"max_length": 500}},
            {"key": "suggestions", "kind": "long_text",
             "text": "Ваши предложения по улучшению методической помощи",
             "help": "", "required": False, "settings": {"max_length": 4000}},
        ],
    },
    # ------------------------------------------------------------------------------------------
    # 6. School head's delayed assessment of change in practice (doc 001)
    # ------------------------------------------------------------------------------------------
    {
        "starter_key": "head_delayed_assessment",
        "title": "Отсроченная оценка руководителя: изменения в практике педагога после мероприятия",
        "instructions": (
            "Через некоторое время после мероприятия (обычно 2–3 месяца) мы просим руководителя "
            "образовательной организации или заместителя по методической работе оценить, изменилась "
            "ли практика педагога, указанного в приглашении. Опирайтесь на посещённые уроки "
            "(занятия), беседу с педагогом, рабочую документацию. Заполнение займёт около 5 минут. "
            "Оценка нужна для анализа результативности мероприятий сети и не является оценкой "
            "работы педагога."
        ),
        "items": [
            {"key": "sec_apply", "kind": "section", "text": "Раздел: применение освоенного",
             "help": "", "required": False, "settings": {}},
            {"key": "basis", "kind": "multiple",
             "text": "На чём основана ваша оценка?",
             "help": "", "required": True,
             "settings": {"options": [
                 {"value": "lesson_visits", "label": "Посещение уроков (занятий)"},
                 {"value": "conversation", "label": "Беседа с педагогом"},
                 {"value": "documents",
                  "label": "Анализ документации (рабочие программы, технологические карты, планы)"},
                 {"value": "student_results", "label": "Результаты обучающихся"},
                 {"value": "feedback", "label": "Отзывы коллег, обучающихся, родителей"},
             ], "max_choices": 5}},
            {"key": "applies", "kind": "ypn",
             "text": "Применяет ли педагог в работе то, что освоил на мероприятии?",
             "help": "", "required": True, "settings": {}},
            {"key": "apply_forms", "kind": "multiple",
             "text": "В чём проявляется применение освоенного?",
             "help": "", "required": False,
             "settings": {"options": [
                 {"value": "lessons",
                  "label": "На уроках (занятиях): новые приёмы, технологии, формы работы"},
                 {"value": "planning",
                  "label": "В рабочих программах, технологических картах, планах"},
                 {"value": "assessment", "label": "В оценивании результатов обучающихся"},
                 {"value": "materials", "label": "В разработанных дидактических и цифровых материалах"},
                 {"value": "extracurricular", "label": "Во внеурочной и воспитательной работе"},
                 {"value": "parents", "label": "В работе с родителями"},
                 {"value": "management",
                  "label": "В управленческих решениях (для руководящих работников)"},
             ], "max_choices": 7},
             "show_if": {"key": "applies", "values": ["yes", "partial"]}},
            {"key": "apply_example", "kind": "long_text",
             "text": "Приведите пример: что именно вы увидели на уроке (занятии) или в документах?",
             "help": "", "required": False, "settings": {"max_length": 2000},
             "show_if": {"key": "applies", "values": ["yes", "partial"]}},
            {"key": "obstacle", "kind": "single",
             "text": "Что, по вашей оценке, мешает применению?",
             "help": "", "required": False,
             "settings": {"options": [
                 {"value": "conditions", "label": "Нет условий (оборудование, время, нагрузка)"},
                 {"value": "not_relevant",
                  "label": "Содержание мероприятия не соответствует задачам нашей организации"},
                 {"value": "needs_support", "label": "Педагогу нужна дополнительная поддержка"},
                 {"value": "too_early", "label": "Прошло слишком мало времени"},
                 {"value": "other", "label": "Другое"},
             ]},
             "show_if": {"key": "applies", "values": ["no"]}},
            {"key": "sec_effect", "kind": "section", "text": "Раздел: эффект для практики",
             "help": "", "required": False, "settings": {}},
            {"key": "effect_lessons", "kind": "scale",
             "text": "Как изменилось качество уроков (занятий) педагога после мероприятия?",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 5, "min_label": "Изменений нет",
                          "max_label": "Заметные положительные изменения"}},
            {"key": "effect_students", "kind": "scale",
             "text": "Заметен ли эффект для обучающихся (вовлечённость, мотивация, результаты)?",
             "help": "", "required": True,
             "settings": {"min": 1, "max": 5, "min_label": "Эффекта нет",
                          "max_label": "Эффект выражен"}},
            {"key": "shared", "kind": "ypn",
             "text": "Поделился ли педагог освоенным с коллегами в вашей организации (ШМО, педсовет, "
                     "открытый урок, наставничество)?",
             "help": "", "required": True, "settings": {}},
            {"key": "colleagues_count", "kind": "number",
             "text": "Сколько коллег в вашей организации уже применяют освоенное вслед за педагогом?",
             "help": "Укажите примерно; 0 — если пока никто.",
             "required": False, "settings": {"min": 0, "max": 300, "integer": True},
             "show_if": {"key": "shared", "values": ["yes", "partial"]}},
            {"key": "further", "kind": "single",
             "text": "Планируете ли вы направлять педагогов на мероприятия этой площадки (по этой "
                     "теме) в дальнейшем?",
             "help": "", "required": True,
             "settings": {"options": [
                 {"value": "same_teacher",
                  "label": "Да, этого педагога — для продолжения (следующий модуль, стажировка)"},
                 {"value": "other_teachers", "label": "Да, других педагогов организации"},
                 {"value": "undecided", "label": "Пока не решили"},
                 {"value": "no", "label": "Нет"},
             ]}},
            {"key": "comment", "kind": "long_text",
             "text": "Комментарий, пожелания площадке и методической службе",
             "help": "", "required": False, "settings": {"max_length": 4000}},
        ],
    },
]
