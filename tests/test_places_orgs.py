"""Places and organizations from news sentences: Russian case forms and adjectival regions, lists after
place prepositions, coordinated region names, small towns, and what is not an organization."""

from __future__ import annotations

import pytest

from pipeline import analyze_text


def _tables(text: str, language: str):
    tables = analyze_text(text, published="2015-03-12", language=language)
    return tables["places"], tables["organizations"]


def _places(table) -> dict[str, tuple]:
    return {row.text: (row.name, row.kind, row.country) for row in table.itertuples()}


@pytest.fixture(scope="module")
def tajik_border_course():
    return _tables(
        "ДУШАНБЕ, 12 марта 2015 г. – Около 40 сотрудников пограничной службы из Худжанда, Кулоба и Хорога прошли "
        "обучение в Душанбе. Курс организован Офисом ОБСЕ в Таджикистане совместно с Министерством внутренних дел "
        "Таджикистана. По словам Марка Иванова, ОБСЕ поддерживает реформы Таджикистана с 2008 года.",
        "ru",
    )


def test_russian_case_forms_after_a_preposition_and_in_lists(tajik_border_course):
    places, _ = tajik_border_course
    found = _places(places)
    assert found["Худжанда"] == ("Khujand", "city", "TJ")  # "из Худжанда": genitive after a preposition
    assert found["Хорога"][2] == "TJ"  # the last of a list the preposition opens
    assert found["Таджикистане"] == ("Tajikistan", "country", "TJ")


def test_a_first_name_in_a_case_form_is_no_town(tajik_border_course):
    places, _ = tajik_border_course
    assert "Марка" not in set(places["text"])  # "По словам Марка Иванова": Марк, not Marka in Somalia


def test_russian_field_operation_and_ministry_take_the_nominative(tajik_border_course):
    places, orgs = tajik_border_course
    names = set(orgs["name"])
    assert "Офис ОБСЕ в Таджикистане" in names  # written "Офисом ОБСЕ в Таджикистане"
    assert "Министерство внутренних дел Таджикистана" in names
    in_org = places[places["text"] == "Таджикистане"].iloc[0]
    assert bool(in_org["in_org"])


def test_adjectival_regions_before_a_plural_region_noun():
    places, orgs = _tables(
        "Около 50 судей из Львовской, Донецкой и Запорожской областей прошли обучение в Киеве. Проект реализует Центр "
        "ОБСЕ в Бишкеке вместе с Министерства юстиции Армении и МВД Кыргызстана. Следующий семинар пройдет во Львове.",
        "ru",
    )
    found = _places(places)
    assert found["Львовской"] == ("Lviv Oblast", "region", "UA")
    assert found["Донецкой"] == ("Donetsk Oblast", "region", "UA")
    assert found["Запорожской"] == ("Zaporizhzhia Oblast", "region", "UA")  # the national spelling, not geonames' Zaporizhzhya
    assert found["Киеве"] == ("Kyiv", "city", "UA")
    assert found["Львове"] == ("Lviv", "city", "UA")
    names = set(orgs["name"])
    assert {"Центр ОБСЕ в Бишкеке", "Министерство юстиции Армении", "Министерство внутренних дел Кыргызстана"} <= names


def test_inflected_field_operation_names_are_one_organization():
    _, orgs = _tables("Руководитель Центра ОБСЕ в Ашхабаде встретился с представителями Центром ОБСЕ в Ашхабаде.", "ru")
    assert set(orgs["name"]) == {"Центр ОБСЕ в Ашхабаде"}


def test_every_place_of_a_list_and_bilingual_names():
    places, _ = _tables(
        "Mobile teams visited polling stations in Mostar, Zenica and Bijeljina on Sunday, and observers travelled to "
        "Prizren and Pejë/Peć.",
        "en",
    )
    found = _places(places)
    assert found["Zenica"] == ("Zenica", "city", "BA") and found["Bijeljina"] == ("Bijeljina", "city", "BA")
    assert found["Pejë/Peć"][2] == "XK"  # a slash-separated bilingual name is one place


def test_coordinated_region_names_are_each_a_region():
    places, _ = _tables("Training will continue in the Osh and Batken regions of Kyrgyzstan and in the Sughd region of Tajikistan.", "en")
    found = _places(places)
    assert found["Osh"] == ("Osh Region", "region", "KG")  # not the city of Osh
    assert found["Batken"] == ("Batken Region", "region", "KG")
    assert found["Sughd region"] == ("Sughd Region", "region", "TJ")


def test_small_towns_named_in_full_in_their_country_but_not_common_words():
    places, orgs = _tables(
        "Officials from Nizhniy Panj, Tajikistan's busiest crossing, met experts of the Representative on Freedom of the Media.", "en"
    )
    found = _places(places)
    assert found["Nizhniy Panj"][1:] == ("city", "TJ")  # geonames: "Nizhny Panj" (Panji Poyon), a town of 5,300
    assert "Media" not in found  # Media, Pennsylvania has 5,000 people; "of the Media" is not it
    assert "Nizhniy Panj" not in set(orgs["name"])
    alone, _ = _tables("Officials from Nizhniy Panj met experts in Vienna.", "en")
    assert "Nizhniy Panj" not in set(alone["text"])  # a small town needs its country named in the text


def test_the_first_word_of_a_building_or_body_is_no_place():
    places, _ = _tables("The delegation was received at the Federal Chancellery in Vienna and then at the Federal Palace in Bern.", "en")
    assert "Federal" not in set(places["text"])  # a town in Argentina
    assert {"Vienna", "Bern"} <= set(places["name"])


def test_institutions_told_apart_by_their_place():
    _, orgs = _tables(
        "A judge of the Municipal Court in Zenica and staff of the Embassy of Sweden attended, as did the OSCE Centres in "
        "Ashgabat and Bishkek and experts of the OSCE Academy in Bishkek.",
        "en",
    )
    names = set(orgs["name"])
    assert {"Municipal Court in Zenica", "Embassy of Sweden", "OSCE Centre in Ashgabat", "OSCE Centre in Bishkek"} <= names
    assert "OSCE Academy" in names and "OSCE Academy in Bishkek" not in names  # one academy, named without its city
    assert "OSCE" not in names  # the acronym alone is not what the text names


def test_treaties_roles_and_groups_of_people_are_not_organizations():
    _, orgs = _tables(
        "The Ottawa Convention was discussed with the Peace Ambassadors, the Russian Co-Chair of the group and 30 Aarhus "
        "Centres, with support from the Organization for Security and Co-operation in Europe.",
        "en",
    )
    names = set(orgs["name"])
    assert not names & {"Ottawa Convention", "Peace Ambassadors", "Russian Co-Chair", "Aarhus Centres"}
    assert "OSCE" in names


def test_a_short_form_takes_the_full_name_given_before():
    _, orgs = _tables(
        "Customs officers graduated from the OSCE Customs Training College in Almaty. The Customs Training College "
        "trains officers from Central Asia and Afghanistan.",
        "en",
    )
    assert set(orgs["name"]) == {"OSCE Customs Training College"}


@pytest.mark.parametrize("name, country", [("Nur-Sultan", "KZ"), ("Jalal-Abad", "KG"), ("Ivano-Frankivsk", "UA"),
                                           ("Naryan-Mar", "RU"), ("Baden-Baden", "DE")])
def test_hyphenated_place_names_are_never_cut_at_the_hyphen(name, country):
    places, orgs = _tables(f"OSCE officials met the minister in {name} on Monday, and the OSCE Programme Office in {name} "
                           "hosted them.", "en")
    assert set(places["text"]) == {name} and set(places["country"]) == {country}
    assert f"OSCE Programme Office in {name}" in set(orgs["name"])  # the org takes the whole name, not "... in Nur"


def test_a_name_the_gazetteer_does_not_know_gives_no_fragment():
    places, _ = _tables("The minister met them in Xyzzo-Plughburg on Monday.", "en")
    assert not {"Xyzzo", "Plughburg"} & set(places["text"])


def test_russian_coordinated_adjectival_regions_with_hyphens():
    places, _ = _tables("Участники из Ошской и Джалал-Абадской областей прошли обучение.", "ru")
    assert _places(places) == {"Ошской": ("Osh Region", "region", "KG"), "Джалал-Абадской": ("Jalal-Abad Region", "region", "KG")}


def test_hyphenated_russian_city_names_in_case_forms():
    places, _ = _tables("Встречи прошли в Нур-Султане и Усть-Каменогорске.", "ru")
    assert set(places["name"]) == {"Astana", "Ust-Kamenogorsk"}


def test_capitalised_adjectives_before_an_organization_head_belong_to_its_name():
    _, orgs = _tables("Программный офис ОБСЕ в Бишкеке провел семинар. Эксперты Программного офиса ОБСЕ в Бишкеке "
                      "и сотрудники офиса ОБСЕ в Ереване выступили.", "ru")
    assert list(orgs["text"])[:2] == ["Программный офис ОБСЕ в Бишкеке", "Программного офиса ОБСЕ в Бишкеке"]
    assert set(orgs["name"]) == {"Программный офис ОБСЕ в Бишкеке", "Офис ОБСЕ в Ереване"}  # nominative names
    _, english = _tables("Yesterday the OSCE Programme Office in Dushanbe held a training.", "en")
    assert set(english["name"]) == {"OSCE Programme Office in Dushanbe"}


def test_small_places_the_model_marks_in_their_country():
    places, _ = _tables("The SMM visited Ukraine, in the village of Zolote.", "en")
    assert _places(places)["Zolote"] == ("Zolote", "city", "UA")  # cities5000; smaller villages are not loaded


def test_places_listed_as_an_org_mention_are_not_in_an_organization():
    places, _ = _tables("The OSCE Centre in Bishkek trained judges from Osh, Jalal-Abad and Batken regions.", "en")
    assert not places[places["kind"] == "region"]["in_org"].any()


def test_noun_lists_are_rules_in_the_vocabulary():
    from pipeline.config import load_settings
    from pipeline.resources import Resources

    nouns = Resources(load_settings()).vocabulary.places
    assert {"institution_nouns", "branch_nouns", "document_nouns", "site_nouns", "role_nouns"} <= set(nouns)
    assert "convention" in nouns["document_nouns"] and "office" in nouns["branch_nouns"]


def test_a_hyphen_widens_a_name_only_into_more_of_a_name():
    places, orgs = _tables("The OSCE-supported project in Rostov-on-Don started.", "en")
    assert set(places["name"]) == {"Rostov-on-Don"}
    assert set(orgs["text"]) == {"OSCE"}  # "OSCE-supported" is the acronym and a word, not a longer name
    russian, _ = _tables("Проект прошел в Ростове-на-Дону.", "ru")
    assert set(russian["name"]) == {"Rostov-on-Don"}  # the first part of the hyphenated name declines


def test_an_unknown_place_after_an_organization_leaves_no_dangling_preposition():
    _, orgs = _tables("Миссия ОБСЕ в Нарнии провела встречу.", "ru")
    assert set(orgs["text"]) == {"Миссия ОБСЕ"} and set(orgs["name"]) == {"Миссия ОБСЕ"}


def test_mentions_hold_the_whole_name_of_a_place_slot_rule():
    from pipeline import analyze_text

    mentions = analyze_text("Эксперты Центра ОБСЕ в Астане провели семинар.", published="2015-03-12", language="ru")["mentions"]
    org = mentions[mentions.label == "ORG"]
    assert ("Центра ОБСЕ в Астане", "Центр ОБСЕ в Астане") in set(zip(org.text, org.norm))
    assert not any(text.endswith(" в") for text in org.text)  # never the rule's bare phrase


def test_a_town_followed_by_its_state_or_country_is_read_there():
    places, _ = _tables("Voters in Athens, Ga., and in Florence, Ala., went to the polls on Tuesday.", "en")
    found = _places(places)
    assert found["Athens"] == ("Athens", "city", "US")  # not Athens, Greece
    assert found["Florence"][2] == "US"
    assert found["Ga."] == ("Georgia", "region", "US")
    row = places[places["text"] == "Athens"].iloc[0]
    assert "+qualifier+" in row["source"] and abs(row["lat"] - 33.96) < 0.5


def test_a_shared_name_is_read_in_the_country_the_text_is_about():
    us, _ = _tables("The governor of Georgia met mayors from Atlanta, Savannah and Macon to discuss the Tennessee border.", "en")
    assert _places(us)["Georgia"] == ("Georgia", "region", "US")
    caucasus, _ = _tables("The talks in Tbilisi were the first since the war between Georgia and Russia.", "en")
    assert _places(caucasus)["Georgia"] == ("Georgia", "country", "GE")


def test_a_capital_keeps_its_reading_in_another_country_s_news():
    places, _ = _tables("Students from Dallas and Houston, Texas, flew to Paris for the exchange programme.", "en")
    assert _places(places)["Paris"][2] == "FR"


def test_a_place_name_read_once_is_that_place_where_it_stands_again():
    places, _ = _tables("Alexandria police said the fire started late on Friday. The house in Alexandria, La., burned down.", "en")
    rows = places[places["text"] == "Alexandria"]
    assert len(rows) == 2 and set(rows["country"]) == {"US"}


def test_an_institution_noun_is_no_town():
    places, _ = _tables("Monitors of the Mission travelled to Prizren and Orahovac in Kosovo.", "en")
    assert "Mission" not in set(places["text"])  # Mission, Texas is a town of 85,000
    assert {"Prizren", "Orahovac"} <= set(places["text"])


def test_towns_under_five_thousand_need_their_country_in_the_text():
    places, _ = _tables("Families from Srebrenica, Bratunac and Zvornik met the authorities of Bosnia and Herzegovina.", "en")
    found = _places(places)
    assert found["Bratunac"] == ("Bratunac", "city", "BA")  # geonames: a town of 4,700
    alone, _ = _tables("Families from Bratunac met the authorities.", "en")
    assert "Bratunac" not in set(alone["text"])


def _orgs(table) -> dict[str, str]:
    return {row.text: row.name for row in table.itertuples()}


def test_an_acronym_in_brackets_is_the_name_before_it():
    _, orgs = _tables(
        "Observers met the Supreme Electoral Council (SEC) in Tbilisi on Monday. The SEC said that turnout was "
        "higher than in the last local elections.",
        "en",
    )
    found = _orgs(orgs)
    assert set(orgs["name"]) == {"Supreme Electoral Council"}  # one organization, not a second one called "SEC"
    assert found["SEC"] == "Supreme Electoral Council"
    assert set(orgs[orgs["text"] == "SEC"]["acronym"]) == {"SEC"}


def test_an_acronym_before_a_name_is_part_of_it_or_of_a_role():
    _, orgs = _tables(
        "The OSCE Long-Term Observation Mission (LTOM) opened an office in Vanadzor. The OSCE Special Representative "
        "for Gender Issues visited the office on Friday.",
        "en",
    )
    names = set(orgs["name"])
    assert "OSCE Long-Term Observation Mission" in names
    assert "OSCE" not in names  # both times a word of a longer name: a mission's, then a role's
    assert _orgs(orgs)["LTOM"] == "OSCE Long-Term Observation Mission"


def test_a_ministry_of_several_fields_is_one_organization():
    _, orgs = _tables(
        "The Ministry of Health, Labour and Welfare will fund the clinics. The project was presented by Anna Petrova, "
        "Deputy Minister of Education, Science and Youth.",
        "en",
    )
    names = set(orgs["name"])
    assert "Ministry of Health, Labour and Welfare" in names
    assert not any(name.startswith(("Education", "Science")) for name in names)  # a minister's field, not a ministry


def test_events_programmes_and_funds_are_not_organizations():
    _, orgs = _tables(
        "Delegates recalled the commitments of the Lisbon Summit and pledged money to the Trust Fund for Mine Action. "
        "The United Nations Development Programme will manage the Youth Exchange Programme.",
        "en",
    )
    names = set(orgs["name"])
    assert "United Nations Development Programme" in names  # a well-known organization is a rule, which no word list overrides
    assert not {"Lisbon Summit", "Youth Exchange Programme"} & names
    assert not any("Fund" in name for name in names)


def test_a_country_possessive_and_a_person_s_name_are_not_part_of_the_name():
    _, orgs = _tables(
        "Georgia's Ministry of Internal Affairs and the OSCE signed the agreement. Ms Nino Beridze, head of the Border "
        "Police, welcomed it.",
        "en",
    )
    names = set(orgs["name"])
    assert "Ministry of Internal Affairs" in names
    assert not any("Georgia's" in name or "Beridze" in name for name in names)


def test_the_office_and_the_government_refer_to_organizations():
    _, orgs = _tables(
        "The OSCE Mission to Montenegro trained 30 judges this year. The Mission will publish its findings in May, "
        "and the Government has promised to respond.",
        "en",
    )
    found = _orgs(orgs)
    assert found["Mission"] == "OSCE Mission to Montenegro"
    assert found["Government"] == "Government"


def test_an_acronym_in_brackets_inside_a_russian_ministry_name():
    _, orgs = _tables("Семинар провели при поддержке Министерства внутренних дел (МВД) Республики Казахстан.", "ru")
    assert "Министерство внутренних дел Республики Казахстан" in set(orgs["name"])


def test_districts_and_provinces_the_gazetteer_lacks_are_regions_of_the_text_s_country():
    places, _ = _tables(
        "Teachers from Gyumri, in Armenia's Shirak province, met colleagues from the region of Syunik. The course "
        "will move to Tavush province next year.",
        "en",
    )
    found = _places(places)
    assert found["Shirak province"] == ("Shirak", "region", "AM")  # the possessive names the country; its proper name
    assert found["Syunik"][1:] == ("region", "AM")
    assert found["Tavush province"][1:] == ("region", "AM")  # not the village of Tavush
    assert "Tavush" not in found


def test_a_river_is_no_organization():
    _, orgs = _tables("The bridge across the Siverskyi Donets river near Stanytsia Luhanska was repaired.", "en")
    assert "Siverskyi Donets" not in set(orgs["name"])


def test_an_alternate_name_of_a_town_needs_its_country_in_the_text():
    places, _ = _tables("Election officials in Gnjilane and Prizren said that voting in Kosovo was calm.", "en")
    assert _places(places)["Gnjilane"] == ("Gjilan", "city", "XK")  # geonames' alternate (Serbian) name of Gjilan
    alone, _ = _tables("Election officials in Gnjilane said that voting was calm.", "en")
    assert "Gnjilane" not in set(alone["text"])


def test_rivers_named_before_a_river_noun_are_places_of_the_text_s_country():
    places, _ = _tables("Floods along the Akhuryan and Pambak rivers damaged homes in Gyumri and Vanadzor, Armenia, officials said.", "en")
    rivers = places[places["source"] == "gazetteer:river-noun+context"]
    assert sorted(zip(rivers["name"], rivers["kind"], rivers["country"])) == [("Akhuryan", "other", "AM"), ("Pambak", "other", "AM")]
    assert rivers["lat"].isna().all()  # a river is a line: no point stands for it
    assert "city" not in set(places[places["name"] == "Akhuryan"]["kind"])  # not the town of Akhuryan


def test_russian_region_names_pycountry_lacks_come_in_every_case_form():
    places, _ = _tables("Семинар прошёл в Чуйской области и в Иссык-Кульской области Кыргызстана.", "ru")
    found = _places(places)
    assert found["Чуйской области"] == ("Chüy Region", "region", "KG")
    assert found["Иссык-Кульской области"] == ("Ysyk-Köl Region", "region", "KG")


def test_english_spellings_of_regions_name_the_iso_subdivision():
    places, _ = _tables("The training in Türkistan Region and Akmola Region of Kazakhstan ended on Friday.", "en")
    found = _places(places)
    assert found["Türkistan Region"] == ("Turkistan Region", "region", "KZ")  # the English spelling names it
    assert found["Akmola Region"] == ("Aqmola Region", "region", "KZ")


def test_an_organization_mention_ends_where_its_phrase_ends():
    _, orgs = _tables(
        "She is a member of the Victoria Hockey Club of\nCanada. He joined the 4th Air Division (Defense Command later.", "en")
    assert "4th Air Division" in set(orgs["name"])  # the bracket it opens and never closes is not the name's
    assert not any(name.endswith(("(", "-", " of", " the")) for name in orgs["name"])


def test_the_capitalised_inside_a_sentence_belongs_to_the_name():
    _, orgs = _tables("Players of the Vancouver Canucks met members of The Scout Association in Ottawa.", "en")
    assert {"Vancouver Canucks", "The Scout Association"} <= set(orgs["name"])  # "the" in lower case stays out


def test_an_organization_only_the_source_field_names_is_kept_without_a_span():
    from pipeline.nlp.organizations import field_organization_rows

    body = ("VIENNA, 3 May 2021 - The OSCE Representative on Freedom of the Media, Teresa Ribeiro, today "
            "called on the authorities to release the journalists.")
    sources = ["OSCE Secretariat", "Representative on Freedom of the Media", "OSCE Secretariat",
               "www.osce.org", "eigene Recherche"]
    rows = field_organization_rows(sources, body)
    # named once; the one the body names (as a role) is the body's; an address and a lowercase phrase are no names
    assert rows == [{"text": "OSCE Secretariat", "name": "OSCE Secretariat", "acronym": None,
                     "start": None, "end": None, "source": "field:sources"}]
