"""People and quotes on news sentences of the kinds that break naive rules: roles by reference, appositives with
coordination, relative clauses, communities that look like names, Russian pages without a person model, speakers
named by pronoun or role, quotes continued across paragraphs and titles in quotation marks."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import analyze_text


def _tables(text: str, language: str = "en"):
    tables = analyze_text(text, published="2020-01-01", language=language)
    return tables["people"].set_index("name"), tables["quotes"]


def _speaker_of(quotes, start: str) -> str | None:
    rows = quotes[quotes["quote"].str.startswith(start) & quotes["direct"]]
    assert len(rows) == 1, (start, quotes[["speaker", "quote"]].to_dict("records"))
    return rows["speaker"].iloc[0]


@pytest.fixture(scope="module")
def media_statement():
    return _tables(
        "VIENNA, 3 May 2019 – The OSCE Representative on Freedom of the Media today called on the authorities to release "
        "two journalists detained in Minsk.\n\n"
        "“Reporting is not a crime,” said the Representative, Maren Holtsberg. “They must be freed today.”\n\n"
        "The OSCE Special Representative on Gender, Tomasz Wielgosz, joined the call."
    )


def test_a_short_role_refers_to_the_full_role_named_earlier(media_statement):
    people, quotes = media_statement
    assert people.loc["Maren Holtsberg", "role"] == "OSCE Representative on Freedom of the Media"
    assert people.loc["Tomasz Wielgosz", "role"] == "OSCE Special Representative on Gender"  # the model calls him an ORG
    assert _speaker_of(quotes, "Reporting is not a crime") == "Maren Holtsberg"
    assert _speaker_of(quotes, "They must be freed today") == "Maren Holtsberg"


@pytest.fixture(scope="module")
def chairmanship_visit():
    return _tables(
        "LJUBLJANA, 9 March 2021 - Anja Kovač, Slovenian Foreign Minister and OSCE Chairperson-in-Office, opened the "
        "conference on Tuesday. The OSCE Chairperson-in-Office, Albania's Foreign Minister Edon Marku, joined by video.\n\n"
        "“We cannot accept a frozen conflict as the new normal,” Kovač said.\n\n"
        "Later the Chairperson-in-Office said: “The mandate of the mission will be extended by one year.”"
    )


def test_coordinated_roles_after_the_name_and_chained_roles_before_it(chairmanship_visit):
    people, _ = chairmanship_visit
    assert people.loc["Anja Kovač", "role"] == "Slovenian Foreign Minister and OSCE Chairperson-in-Office"
    assert people.loc["Anja Kovač", "n_mentions"] == 2  # "Kovač said" counts for the full name, diacritics kept
    assert people.loc["Edon Marku", "role"] == "Albania's Foreign Minister"
    assert people.loc["Edon Marku", "organization"] == "Albania"
    assert not any("Chairperson" in name for name in people.index)  # a role alone is never a person


def test_a_speaker_named_by_role_is_the_person_last_given_that_role(chairmanship_visit):
    _, quotes = chairmanship_visit
    assert _speaker_of(quotes, "We cannot accept a frozen conflict") == "Anja Kovač"
    assert _speaker_of(quotes, "The mandate of the mission") == "Edon Marku"


def test_roles_end_before_relative_clauses_and_lowercase_titles_are_roles():
    people, _ = _tables(
        "OSIJEK, 4 April 2017 - Petra Lindqvist, a prosecutor of the District Court in Osijek who led the investigation, "
        "said the verdict was final. The council was represented by its secretary, and the youth side by the chair of "
        "the youth council in Gostivar, Besnik Ahmeti. Kyrgyzstan's Deputy Minister of Interior, Aibek Osmonov, "
        "welcomed the decision."
    )
    assert people.loc["Petra Lindqvist", "role"] == "prosecutor of the District Court in Osijek"
    assert people.loc["Besnik Ahmeti", "role"] == "chair of the youth council in Gostivar"
    assert people.loc["Aibek Osmonov", "role"] == "Kyrgyzstan's Deputy Minister of Interior"
    assert people.loc["Aibek Osmonov", "organization"] == "Kyrgyzstan"


def test_communities_places_and_roles_are_not_people():
    people, _ = _tables(
        "PRISTINA, 2 July 2003 - Kosovo Albanians and Kosovo Serbs attended the meeting together with Crimean Tatars, "
        "said the OSCE Chairperson-in-Office. Banja Luka, a city where a judge was attacked last year, was also discussed."
    )
    assert people.empty, list(people.index)


@pytest.fixture(scope="module")
def russian_page():
    return _tables(
        "ДУШАНБЕ, 12 мая 2016 г. – Руководитель Офиса ОБСЕ в Таджикистане посол Валерий Белов заявил, что проект "
        "будет продолжен. Закон «О статусе беженцев и вынужденных переселенцев» вступит в силу в июле.\n\n"
        "«Мы видим реальные результаты работы на местах», – сказала Начальник отдела Министерства образования "
        "Айгуль Сарсенова.\n\n"
        "По словам Валерия Белова, в следующем году обучение пройдут 300 учителей. Иван Петров отметил, что "
        "центр откроется осенью.",
        language="ru",
    )


def test_russian_people_from_role_nouns_honorifics_and_speech_verbs(russian_page):
    people, _ = russian_page
    assert people.loc["Валерий Белов", "role"] == "Руководитель Офиса ОБСЕ в Таджикистане"
    assert people.loc["Валерий Белов", "honorific"] == "посол"
    assert people.loc["Валерий Белов", "n_mentions"] == 2  # "Валерия Белова" is the same person
    assert people.loc["Айгуль Сарсенова", "role"] == "Начальник отдела Министерства образования"
    assert "Иван Петров" in people.index
    assert "Валерия Белова" not in people.index


def test_russian_quotes_take_the_speaker_after_the_dash_and_titles_are_not_quotes(russian_page):
    _, quotes = russian_page
    assert _speaker_of(quotes, "Мы видим реальные результаты") == "Айгуль Сарсенова"
    assert not quotes["quote"].str.startswith("О статусе беженцев").any()


@pytest.fixture(scope="module")
def school_story():
    return _tables(
        "SKOPJE, 5 June 2018 - Marta Vidovska, a teacher from Kičevo, hoped the course would show “how pupils from "
        "different communities can learn side by side”.\n\n"
        "The Mission's Head of Education, Lorenz Albrecht, said: “Schools are where integration starts or fails.”\n\n"
        "“We will expand the project to ten more municipalities next year.”\n\n"
        "The “Safe Schools for All” project runs until 2020. Goran Ilievski, a parent from Struga, welcomed it. "
        "“My son now has friends from both communities,” he said."
    )


def test_quote_speakers_by_lead_in_colon_continuation_and_pronoun(school_story):
    _, quotes = school_story
    assert _speaker_of(quotes, "how pupils from different communities") == "Marta Vidovska"  # inside an indirect phrase
    assert _speaker_of(quotes, "Schools are where integration") == "Lorenz Albrecht"  # "X said: “…”"
    assert _speaker_of(quotes, "We will expand the project") == "Lorenz Albrecht"  # next paragraph, no attribution
    assert _speaker_of(quotes, "My son now has friends") == "Goran Ilievski"  # "he said": the person named last


def test_a_project_name_in_quotation_marks_is_neither_a_quote_nor_a_person(school_story):
    people, quotes = school_story
    assert not quotes["quote"].str.contains("Safe Schools").any()
    assert not any("Schools" in name for name in people.index)
    assert people.loc["Marta Vidovska", "role"] == "teacher"


def test_a_surname_alone_after_a_quote_names_the_speaker_in_any_case_form():
    _, quotes = _tables(
        "Глава Миссии ОБСЕ в Сербии Андрей Коваленко открыл форум. «Диалог необходим», – подчеркнул Коваленко.\n\n"
        "По словам Коваленко, «без доверия реформы не дадут результата».\n\n"
        "Директор департамента Ольга Бондаренко выступила следующей. По словам Бондаренко, «закон вступит в силу весной»."
        " «Мы полностью готовы», – отметила Бондаренко.",
        language="ru",
    )
    assert _speaker_of(quotes, "Диалог необходим") == "Андрей Коваленко"  # a short quote, attributed right after
    assert _speaker_of(quotes, "без доверия") == "Андрей Коваленко"
    assert _speaker_of(quotes, "закон вступит") == "Ольга Бондаренко"
    assert _speaker_of(quotes, "Мы полностью готовы") == "Ольга Бондаренко"
    _, english = _tables("The Head of the OSCE Mission to Serbia, Andrej Kovalenko, opened the forum. “Dialogue is the only way,” Kovalenko noted.")
    assert _speaker_of(english, "Dialogue is the only way") == "Andrej Kovalenko"


def test_name_particles_belong_to_the_name():
    people, quotes = _tables(
        "«Мы продолжим поддерживать судебную реформу», – сказал руководитель Миссии ОБСЕ посол Клаус ван дер Берг.",
        language="ru",
    )
    assert people.loc["Клаус ван дер Берг", "honorific"] == "посол"
    assert _speaker_of(quotes, "Мы продолжим") == "Клаус ван дер Берг"
    people, quotes = _tables("“The court must stay independent,” said the Head of the OSCE Presence, Ambassador Luis de la Vega.")
    assert people.loc["Luis de la Vega", "role"] == "Head of the OSCE Presence"  # a role with no place after the office
    assert _speaker_of(quotes, "The court must stay independent") == "Luis de la Vega"


def test_an_abbreviation_period_does_not_cut_a_role():
    people, quotes = _tables(
        "Elena Markovska, a law professor at St. Kliment Ohridski University, said: “The reform is long overdue.”"
    )
    assert people.loc["Elena Markovska", "role"] == "law professor at St. Kliment Ohridski University"
    assert _speaker_of(quotes, "The reform is long overdue") == "Elena Markovska"


def test_single_quotation_marks_quote_but_apostrophes_do_not():
    _, quotes = _tables(
        "Oleh Tkachenko, a local official, met the monitors on Monday. 'The situation remains tense,' he told journalists "
        "in Kyiv. ‘We don’t expect the shelling to stop soon,’ he added.\n\n"
        "Kazakhstan's media law dates from the '90s, and the editors' union wants it changed."
    )
    assert _speaker_of(quotes, "The situation remains tense") == "Oleh Tkachenko"
    assert _speaker_of(quotes, "We don’t expect the shelling") == "Oleh Tkachenko"
    assert len(quotes[quotes["direct"]]) == 2


def test_a_persons_organization_is_the_organizations_tables_canonical_name():
    people, _ = _tables("Руководитель Офиса ОБСЕ в Таджикистане посол Марк Левицкий открыл конференцию.", language="ru")
    assert people.loc["Марк Левицкий", "organization"] == "Офис ОБСЕ в Таджикистане"


def test_a_pronoun_names_the_last_person_of_its_gender():
    _, quotes = _tables(
        "Ms. Dana Whitfield met Mr. Karl Brenner in Vienna. “We need more than promises,” she said. “This is a good "
        "start for both sides,” he replied."
    )
    assert _speaker_of(quotes, "We need more than promises") == "Dana Whitfield"  # Mr. Brenner was named last
    assert _speaker_of(quotes, "This is a good start") == "Karl Brenner"
    _, quotes = _tables(
        "Директор Зарина Алиева и посол Марк Левицкий открыли встречу. «Мы ценим это сотрудничество», – сказала "
        "Алиева. «Работа будет продолжена в регионах», – добавил он. «Начнем с молодежи и школ», – отметила она.",
        language="ru",
    )
    assert _speaker_of(quotes, "Работа будет продолжена") == "Марк Левицкий"
    assert _speaker_of(quotes, "Начнем с молодежи") == "Зарина Алиева"  # the verb's gender, learnt from "сказала Алиева"


def test_an_attribution_naming_someone_unknown_does_not_continue_the_previous_speaker():
    _, quotes = _tables(
        "Министр Мурат Нуртлеу принял делегацию. «Мы ценим сотрудничество с ОБСЕ», – сказал Нуртлеу. "
        "«Казахстан – важный партнер», – отметила Шмид.",
        language="ru",
    )
    assert _speaker_of(quotes, "Мы ценим") == "Мурат Нуртлеу"
    assert _speaker_of(quotes, "Казахстан – важный партнер") == "Шмид"  # the attribution's own word, no known person


# --- quotation marks told opening from closing, and speakers the model does not name -------------------------

def test_a_nickname_in_straight_quotes_does_not_turn_later_quotations_inside_out():
    _, quotes = _tables(
        'The singer Marta "Tina" Hollis opened the festival in Graz. "Music belongs to every street of this city," '
        'Hollis said. "Next year we will play in the villages too," she added.'
    )
    speaker = _speaker_of(quotes, "Music belongs to every street")
    assert speaker.endswith("Hollis")  # the name as the model reads it (nickname included or not)
    assert _speaker_of(quotes, "Next year we will play") == speaker
    assert not quotes["quote"].str.contains("opened the festival").any()


def test_two_apostrophes_are_quotation_marks():
    _, quotes = _tables(
        "Professor Helen Marsh reviewed the budget. ''These numbers do not add up for the coming decade,'' "
        "said Ms. Marsh. ''We need a plan that survives the next election.''"
    )
    assert _speaker_of(quotes, "These numbers do not add up") == "Helen Marsh"
    assert _speaker_of(quotes, "We need a plan") == "Helen Marsh"


def test_a_quotation_over_two_paragraphs_takes_the_speaker_given_after_its_end():
    _, quotes = _tables(
        "Mayor Oskar Lindahl spoke at the opening of the new bridge on Friday.\n\n"
        "“For ten years the two banks of this river were two towns.\n\n"
        "“From today they are one town again,” Lindahl said."
    )
    assert _speaker_of(quotes, "For ten years the two banks") == "Oskar Lindahl"
    assert _speaker_of(quotes, "From today they are one town") == "Oskar Lindahl"


def test_a_pronoun_after_a_surname_the_model_may_miss_names_that_person():
    _, quotes = _tables(
        "Dr Petra Novak-Lindqvist, a surgeon, and Tomasz Wrona, a nurse, visited the clinic. Novak-Lindqvist said "
        "the wards were full. “Every bed here is taken by noon, and patients wait in the corridor,” she said."
    )
    assert _speaker_of(quotes, "Every bed here is taken") == "Petra Novak-Lindqvist"


def test_a_role_named_again_in_a_shorter_form_is_the_person_given_it():
    _, quotes = _tables(
        "The Deputy Head of the OSCE Mission to Montenegro, Ingrid Halvorsen, opened the course. “Judges who know "
        "the new code will decide faster and more fairly,” the Deputy Head said."
    )
    assert _speaker_of(quotes, "Judges who know the new code") == "Ingrid Halvorsen"


def test_a_speaker_without_a_name_is_the_phrase_that_stands_for_them():
    _, quotes = _tables(
        "The ministry published the draft law on Monday. “The consultation will stay open until the end of the month,” "
        "a ministry spokesperson said."
    )
    assert _speaker_of(quotes, "The consultation will stay open") == "a ministry spokesperson"


def test_people_sharing_a_surname_stay_apart_and_a_surname_goes_to_the_one_named_last():
    people, quotes = _tables(
        "Anna Berg, the mayor of Lund, and her brother Johan Berg, a teacher, attended the ceremony. “The school "
        "belongs to the whole town,” Berg said."
    )
    assert people.loc["Anna Berg", "role"] == "mayor of Lund"
    assert "Johan Berg" in people.index
    assert _speaker_of(quotes, "The school belongs to the whole town") == "Johan Berg"


def test_a_name_never_runs_over_a_sentence_end():
    people, _ = _tables(
        "The lessons are taught in Serbian. Milan Kostić, a mathematics teacher, said the new books had arrived."
    )
    assert "Milan Kostić" in people.index
    assert not any(". " in name for name in people.index)


def test_a_role_with_its_complement_and_a_coordinated_role_run_up_to_the_name():
    people, quotes = _tables(
        "TBILISI, 2 June 2022 - Deputy Minister of Regional Development and head of the Roads Department Nodar "
        "Gelashvili said the bridge would reopen in August. The OSCE Special Adviser on Water Security Helga "
        "Brunnström visited the site.\n\n“The river rose faster than anyone expected,” Gelashvili said."
    )
    assert people.loc["Nodar Gelashvili", "role"] == "Deputy Minister of Regional Development and head of the Roads Department"
    assert people.loc["Helga Brunnström", "role"] == "OSCE Special Adviser on Water Security"
    assert _speaker_of(quotes, "The river rose faster") == "Nodar Gelashvili"  # the full name, not the surname


def test_a_title_listing_its_portfolios_with_commas_is_one_role_before_and_after_the_name():
    people, _ = _tables(
        "The delegation met the Minister of Labour, Pensions and Social Inclusion, Katarzyna Nowak, on Monday. "
        "Radu Munteanu, Deputy Minister of Health, Sport and Youth, opened the second session. The organizers "
        "thanked the Mayor of Orhei, Ion Ceban and Ana Rusu for their help."
    )
    assert people.loc["Katarzyna Nowak", "role"] == "Minister of Labour, Pensions and Social Inclusion"
    assert people.loc["Radu Munteanu", "role"] == "Deputy Minister of Health, Sport and Youth"
    assert people.loc["Ion Ceban", "role"] == "Mayor of Orhei"  # a list holding names is no part of the role


def test_appositive_noun_phrases_keep_their_modifiers():
    people, _ = _tables(
        "The workshop was led by the Centre's senior legal adviser, Ms Ingrid Halvorsen. Among the speakers was "
        "Teodora Ilieva, a Bulgarian radio journalist, who described the new rules."
    )
    assert people.loc["Ingrid Halvorsen", "role"] == "the Centre's senior legal adviser"
    assert people.loc["Teodora Ilieva", "role"] == "Bulgarian radio journalist"


def test_a_surname_pair_is_a_shorter_form_of_the_full_name():
    people, quotes = _tables(
        "MADRID, 5 May 2015 - Marta Ruiz Calderón, Chairperson of the working group, opened the meeting.\n\n"
        "“We have a draft that all sides can read,” said Ruiz Calderón."
    )
    assert list(people.index) == ["Marta Ruiz Calderón"]
    assert people.loc["Marta Ruiz Calderón", "n_mentions"] == 2
    assert _speaker_of(quotes, "We have a draft") == "Marta Ruiz Calderón"


def test_speakers_named_later_in_the_sentence_of_the_quote():
    _, quotes = _tables(
        "Helena Marsh, a lawyer, and Daniel Ostrowski, the council's treasurer, spoke after the vote.\n\n"
        "“The budget is balanced for the first time in a decade,” Daniel Ostrowski, who has served on the council "
        "since 2009, told reporters.\n\n"
        "“A first step” toward a fair tax system, Marsh said, was all the reform could be.\n\n"
        "“Nobody asked the tenants” before the decision, she said."
    )
    assert _speaker_of(quotes, "The budget is balanced") == "Daniel Ostrowski"
    assert _speaker_of(quotes, "A first step") == "Helena Marsh"
    assert _speaker_of(quotes, "Nobody asked the tenants") == "Helena Marsh"


def test_a_pronoun_does_not_refer_to_a_name_used_as_a_modifier():
    _, quotes = _tables(
        "Sarah Lindgren spoke for an hour. Critics called her plan a Bergman copy.\n\n"
        "“We will publish every contract,” she said."
    )
    assert _speaker_of(quotes, "We will publish every contract") == "Sarah Lindgren"


def test_russian_occupation_and_regional_titles_are_roles():
    people, _ = _tables(
        "Семинар открыли хоким Ферганской области Рустам Каримов и фермер из Риштана Алишер Назаров.",
        language="ru",
    )
    assert people.loc["Рустам Каримов", "role"] == "хоким Ферганской области"
    assert people.loc["Алишер Назаров", "role"] == "фермер из Риштана"


def test_ranks_and_possessives_stay_out_of_names_and_a_lone_surname_is_the_person():
    tables = analyze_text(
        "The regiment was led by Colonel Harold Whitcombe from 1943 and by Major General Thomas Reed Jr. , from 1944 . "
        "Whitcombe 's letters describe the winter. Whitcombe returned home in 1946. Reed retired.",
        published="2020-01-01", language="en",
    )
    persons = tables["mentions"][tables["mentions"]["label"] == "PERSON"]["text"].tolist()
    assert "Harold Whitcombe" in persons and "Thomas Reed Jr." in persons
    assert not any(p.startswith(("Colonel", "Major", "General")) or p.endswith(" ") for p in persons)
    assert persons.count("Whitcombe") == 2 and persons.count("Reed") == 1  # the lone surnames are mentions of them
    people = tables["people"].set_index("name")
    assert people.loc["Harold Whitcombe", "n_mentions"] == 3
    assert people.loc["Thomas Reed Jr.", "n_mentions"] == 2


def test_a_surname_inside_any_covering_mention_is_no_lone_surname():
    from pipeline.nlp.quotes import _surname_mentions

    text = "Ana Hoxha-Dushku met the Hoxha Foundation. Later Hoxha said the Hoxha family agreed."
    hoxha = [i for i in range(len(text)) if text.startswith("Hoxha", i) and not text.startswith("Hoxha-", i)]
    people = {
        (0, 16): "Ana Hoxha",  # a long mention, with one starting later and ending sooner after it
        (hoxha[0] - 4, hoxha[0] + 16): "Ana Hoxha",  # "the Hoxha Foundation"
        (hoxha[0] - 2, hoxha[0] - 1): "Ana Hoxha",
    }
    found = _surname_mentions(text, people)
    assert sorted(found) == [(hoxha[1], hoxha[1] + 5), (hoxha[2], hoxha[2] + 5)]
    assert set(found.values()) == {"Ana Hoxha"}
