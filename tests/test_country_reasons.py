"""Countries with reasons (issue 14): section, venue (partner countries only), participants and subjects;
locations from titles; passing mentions and the EU itself are not tagged."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calendar_svc.app import create_app
from calendar_svc.clock import fixed_clock
from calendar_svc.config import Settings
from calendar_svc.db import make_engine, session_factory
from calendar_svc.ingest import ingest_bytes
from parsers.dates import ParsedDate
from parsers.model import ParsedEvent, Source
from parsers.reasons import member_states_in, participants_in, tag_countries
from parsers.tagging import EU_MEMBER_STATES
from parsers.titles import place_country, title_venue


def _event(title: str, section: str | None = None, countries: list[str] | None = None, location=None,
           description: str = "", date_text: str = "1 January 2021"):  # fmt: skip
    day = dt.date(2021, 1, 1)
    date = ParsedDate(date_text, day, day, "day", tentative=False, status="scheduled", edtf="2021-01-01")
    source = Source("doc", 1, section)
    return ParsedEvent(title, date, source, description, location=location, countries=countries or [])


@pytest.mark.parametrize(
    ("title", "venue", "country"),
    [
        ("Steering Committee, Ouagadougou", "Ouagadougou", "BF"),
        ("AU-EU Foreign Affairs Minister meeting, Kigali/Rwanda", "Kigali/Rwanda", "RW"),
        ("Steering Committee and Senior Officials Meeting (Asmara)", "Asmara", "ER"),
        ("HRVP visit to Rabat to mark the relaunch", "Rabat", "MA"),
        ("Thematic meeting on legal migration in Lisbon", "Lisbon", "PT"),
        ("First UNHCR Preparatory Meeting in Geneva for the Global Refugee Forum", "Geneva", "CH"),
        ("High Level Dialogue Meeting, Nairobi", "Nairobi", "KE"),
        ("Commission mission to Morocco", "Morocco", "MA"),
    ],
)
def test_title_venue(title, venue, country):
    assert title_venue(title) == venue
    assert place_country(venue) == country


@pytest.mark.parametrize(
    "title",
    [
        "Meeting in the context of the Sahel tour",
        "Solidarity Event for forcibly displaced persons in Central America",  # no city "Central"
        "Report due in March",
        "Discussion at Member State level",
        "Webinar on migration narratives",
    ],
)
def test_no_venue_from_passing_words(title):
    assert title_venue(title) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Webinar on Indian Diaspora in Ireland", ["IN", "IE"]),
        ("Joint Visit of Commissioner Avramopoulos and DE MoI to Turkey", ["TR", "DE"]),
        ("International Conference on 40 years of hosting Afghan refugees", ["AF"]),
        ("Donors' Conference in Solidarity with Venezuelan refugees", ["VE"]),
        ("Visit of Nigerian Delegation to Brussels", ["NG"]),
        ("Study visit to a German federal office", ["DE"]),
        ("13th GFMD Summit UAE on-line", ["AE"]),  # a short form as written
        # negatives: passing mentions, the EU, member states as mere places, short forms inside words
        ("Meeting with USAID and UAE-based donors", []),
        ("Briefing in the context of the Niger tour", []),
        ("EU-AU Summit", []),
        ("European Council conclusions", []),
        ("Meeting in Brussels with the Presidency", []),
        ("Seminar held in France", []),
    ],
)
def test_participants(title, expected):
    assert participants_in(title) == expected


def test_member_states_only_as_subjects():
    assert member_states_in("Finnish Foreign Minister Haavisto meeting with PM Abiy") == ["FI"]
    assert member_states_in("Slovenian Presidency conference") == []
    assert member_states_in("EU-US meeting, Slovenia") == []


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        ("RECAMAS gap analysis with BG completed", True, ["BG"]),
        ("Mission to Tunisia of Commissioner Johansson, together with MoI and MFA of Italy", True, ["IT"]),
        ("Kick-off meeting with DE, HU and AT and Turkish authorities", True, ["DE", "HU", "AT"]),
        ("The Action Plan between Frontex and Bulgaria (signed June 2023), Greece (signed March 2023) and Cyprus "
         "(signed March 2022) on cooperation in the field of return is being implemented.", False, ["BG", "GR", "CY"]),
        ("In Cyprus, support is based on a Memorandum of Understanding agreed with Cyprus in February 2022.", False,
         ["CY"]),
        ("A two-day workshop was held by OSCE and the Hungarian Ministry of Interior.", False, ["HU"]),
        ("Visit to Tripoli by Commissioner Varhelyi with Italian and Maltese Foreign Ministers", True, ["IT", "MT"]),
        # a title's subject
        ("Switzerland, Slovenia and Austria to undergo the periodic Schengen evaluation", True, ["SI", "AT"]),
        ("Greece officially informed the Commission of its plan", True, ["GR"]),
        ("Study visit to the Federal Office for Migration and Refugees of Germany", True, ["DE"]),
        # negatives: in a comment or sentence "with" a member state is a place or a partner in passing
        ("Meeting with the Minister of the Interior and visiting Frontex joint teams at the border with Greece",
         False, []),
        ("The EU worked closely with the Lithuanian, Polish and Latvian authorities on border protection.", False, []),
        ("Handover of presidency from Burkina Faso to France", False, []),
        ("Seminar with Senegal and Mali", True, []),
        ("Cyprus Presidency conference on returns", True, []),  # a capital after the name: no subject
        ("Greece officially informed the Commission", False, []),  # a sentence's subject is not enough
        ("Visit to the border of Greece and Turkey", True, []),
    ],
)  # fmt: skip
def test_member_states_as_parties(text, title, expected):
    assert member_states_in(text, title=title) == expected


def test_reasons_per_country():
    event = _event("Steering Committee, Ouagadougou", section="Rabat Process")
    tag_countries(event)
    assert event.country_reasons == {"BF": ["venue"]} and event.countries == ["BF"]
    event = _event("Joint Visit of Commissioner Avramopoulos and DE MoI to Turkey", "Turkey", ["TR"])
    tag_countries(event)
    assert event.location == "Turkey"
    assert event.country_reasons == {"TR": ["section", "venue"], "DE": ["participant"]}
    event = _event("Senior Officials meeting", "Egypt", ["EG"], location="Warsaw")
    tag_countries(event)
    assert event.country_reasons == {"EG": ["section"]}  # an EU venue is no country tag
    event = _event("Virtual seminar on Irregular Migration", "India", ["IN"], location="Virtual")
    tag_countries(event)
    assert event.country_reasons == {"IN": ["section"]} and event.location == "Virtual"


_WORDS = st.sampled_from(
    "meeting of the on with committee senior officials webinar review and forum ministerial in at for".split()
)


def test_a_section_titled_for_one_country_tags_an_event_without_one():
    event = _event("Operational assistance package announced", "Implementation of MoU with Tunisia")
    tag_countries(event)
    assert event.country_reasons == {"TN": ["section"]}
    for section in ("Cooperation with Tunisia and Libya", "Implementation of the Pact", None):
        event = _event("Operational assistance package announced", section)
        tag_countries(event)
        assert event.countries == []
    event = _event("Joint Operation launched", "Implementation of MoU with Tunisia", ["MD"])  # the layout's stays
    tag_countries(event)
    assert event.countries == ["MD"]


ACTION_21 = ("21. Under the Bulgaria pilot project, enhance returns through, inter alia, the deployment of return "
             "specialists and interpreters")  # fmt: skip


def test_a_numbered_action_titled_for_one_member_state_tags_its_events():
    event = _event("Agreement to be signed", ACTION_21)
    tag_countries(event)
    assert event.country_reasons == {"BG": ["section"]}
    event = _event("RECAMAS gap analysis with BG completed", ACTION_21)
    tag_countries(event)
    assert event.country_reasons == {"BG": ["section", "participant"]}
    action = "18. Promote full and effective implementation of the EU-Turkey Statement and the readmission agreement"
    event = _event("EU-Türkiye High Level Dialogue", action, ["TR"])
    tag_countries(event)
    assert event.country_reasons == {"TR": ["section", "participant"]}  # a heading titled for it is its section


@pytest.mark.parametrize(
    "section",
    [
        "20. Support the Action Plans on returns agreed between Frontex and Cyprus, Greece and Bulgaria",  # several
        "Following the visit to Greece, preparations for the next steps",  # in passing
        "In Greece, the European Commission has been supporting the strengthening",  # a sentence taken for one
        "Under the Bulgaria pilot project " + "and the further steps of the partners in the region " * 6,  # > 300
        None,
    ],
)
def test_no_member_state_from_a_heading_naming_several_in_passing_or_from_prose(section):
    event = _event("Agreement to be signed", section)
    tag_countries(event)
    assert event.countries == []


def test_a_member_state_as_subject_even_at_its_own_venue():
    event = _event("Study visit to the Federal Office for Migration and Refugees of Germany", "Prague Process",
                   location="Nuremberg")  # fmt: skip
    tag_countries(event)
    assert event.country_reasons == {"DE": ["participant"]}
    event = _event("Kick-off meeting with DE, HU and AT", location="Vienna")
    tag_countries(event)
    assert event.country_reasons == {"DE": ["participant"], "HU": ["participant"], "AT": ["participant"]}
    for title, place in [("Senior Officials Meeting", "Bucharest"), ("Mission to Tunisia of Commissioner Johansson", None),
                         ("Visit to the Ministry of Interior in Vienna", None)]:  # fmt: skip
        event = _event(title, location=place)
        tag_countries(event)
        assert not set(event.countries) & EU_MEMBER_STATES, title


WB = ["AL", "BA", "XK", "ME", "MK", "RS"]


def test_a_title_naming_other_partners_displaces_the_section_country():
    event = _event("Joint Operation in Moldova 2022 launched", "Türkiye", ["TR", "MD"])
    tag_countries(event)
    assert event.country_reasons == {"MD": ["participant"]}
    event = _event("Conclusion of negotiations with Serbia", "Türkiye", ["TR", "RS"])
    tag_countries(event)
    assert event.countries == ["RS"]
    event = _event("Montenegro signed a working arrangement with the EUDA", "Strengthened presence of EU Agencies", WB)
    tag_countries(event)  # the region's other partners, which the layout's context gave
    assert event.country_reasons == {"ME": ["participant"]}


@pytest.mark.parametrize(
    ("title", "section", "countries", "description", "expected"),
    [
        # the section's country named too, by name or demonym
        ("International Conference on hosting Afghan refugees in Pakistan", "Afghanistan", ["AF"], "", ["AF", "PK"]),
        ("Visit to Türkiye and Moldova", "Türkiye", ["TR", "MD"], "", ["TR", "MD"]),
        # only a demonym names the other partner: a participant, not the subject
        ("Moldovan delegation visit", "Türkiye", ["TR"], "", ["TR", "MD"]),
        # the sentence names the section's country
        ("Joint Operation in Moldova launched", "Türkiye", ["TR", "MD"], "Türkiye and Moldova agreed it.", ["TR", "MD"]),
        # a region's section: a title naming the region, or no partner by name
        ("EU – Western Balkans JHA SOM", "Western Balkans", WB, "", WB),
        ("IOM component signed", "Western Balkans", WB, "", WB),
        # a title naming only an EU member state
        ("Joint visit with DE MoI", "Türkiye", ["TR"], "", ["TR", "DE"]),
    ],
)  # fmt: skip
def test_the_section_country_stays(title, section, countries, description, expected):
    event = _event(title, section, countries, description=description)
    tag_countries(event)
    assert sorted(event.countries) == sorted(expected)


def test_countries_of_another_clause_are_not_the_events():
    sentence = ("An agreement with Serbia should be signed soon, and negotiations were officially agreed to be "
                "launched with Bosnia and Herzegovina on 12 February.")  # fmt: skip
    event = _event("Negotiations launched with Bosnia and Herzegovina", None, ["RS", "BA"], None, sentence, "12 February")
    tag_countries(event)
    assert event.country_reasons == {"BA": ["participant"]}
    sentence = "A COP has been concluded in November 2024 with Guinea; a top-up to COP Senegal was signed in December."
    event = _event("COP concluded", None, ["GN", "SN"], None, sentence, "November 2024")
    tag_countries(event)
    assert event.countries == ["GN"]
    sentence = ("Team Europe Initiatives on the routes were launched in December 2022, to support activities along "
                "the routes, while another Team Europe Initiative addresses the Afghan regional displacement.")
    event = _event("Team Europe Initiatives launched", None, ["AF"], None, sentence, "December 2022")
    tag_countries(event)
    assert event.countries == []  # a contrasting clause is about something else


@pytest.mark.parametrize(
    ("sentence", "date_text", "countries"),
    [
        # a list is no clause
        ("The plan adopted in November 2022 targets North Africa, in particular Tunisia, Egypt, and Libya.",
         "November 2022", ["TN", "EG", "LY"]),
        # the dated clause names no country of its own
        ("A MoU was signed with Tunisia in July, and the first tranche was paid on 5 December.", "5 December", ["TN"]),
        # one clause
        ("Serbia and Bosnia and Herzegovina agreed on 12 February to start talks.", "12 February", ["RS", "BA"]),
        # a contrasting clause naming a country the sentence names elsewhere too
        ("A programme for Libya was prepared; the contract was signed in May, while Libya set up its unit.", "May",
         ["LY"]),
    ],
)  # fmt: skip
def test_countries_of_the_whole_sentence_stay(sentence, date_text, countries):
    event = _event("Talks", None, countries, None, sentence, date_text)
    tag_countries(event)
    assert sorted(event.countries) == sorted(countries)


def test_a_virtual_event_may_name_its_venue():
    event = _event("Virtual roundtable and a study visit (in Geneva, on 13-14 October) on asylum", location="Virtual")
    tag_countries(event)
    assert event.country_reasons == {"CH": ["venue"]} and event.location == "Virtual"


def test_a_lower_case_word_after_at_is_no_venue():
    event = _event("webinar at of")  # "Of" is a town in Turkey
    tag_countries(event)
    assert event.countries == [] and event.location is None


@given(st.lists(_WORDS, max_size=12))
def test_lower_case_prose_names_no_country(words):
    event = _event(" ".join(words))
    tag_countries(event)
    assert event.countries == [] and event.country_reasons == {}


def test_reasons_reach_the_json_and_the_page(db_url, sample_path):
    """Ingest 000, then the API and the event page show why an event carries each country."""
    engine = make_engine(db_url)
    sessions = session_factory(engine)
    clock = fixed_clock(dt.datetime(2021, 9, 15, tzinfo=dt.UTC))
    path = sample_path("000")
    ingest_bytes(sessions, path.name, path.read_bytes(), clock=clock)
    engine.dispose()
    client = create_app(Settings(database_url=db_url), clock=clock).test_client()
    events = client.get("/api/events?country=BF&limit=500").json["events"]
    steering = [e for e in events if e["location"] == "Ouagadougou"]
    assert steering and all(e["country_reasons"]["BF"] == ["venue"] for e in steering)
    assert all(set(e["country_reasons"]) == set(e["countries"]) for e in events)
    page = client.get(f"/events/{steering[0]['uid']}").get_data(as_text=True)
    assert "Why these countries" in page and "Burkina Faso: venue" in page
    spec = client.get("/openapi.json").json
    assert "country_reasons" in spec["components"]["schemas"]["Event"]["properties"]


@pytest.mark.parametrize(
    ("sentence", "countries", "expected"),
    [
        # the third countries a visa measure concerns are its subjects, not the event's participants
        ("Serbia took decisions on visa alignment in December 2024 (Qatar, Kuwait, Oman and Mongolia).",
         ["RS", "QA", "KW", "OM", "MN"], ["RS"]),
        ("Serbia introduced visa requirements for nationals of Cuba and Burundi in December 2024.",
         ["RS", "CU", "BI"], ["RS"]),
        # ... not a partner the sentence names outside the visa list, nor a bracket that names no country
        ("Serbia and Qatar agreed in December 2024 on visa alignment (Qatar, Kuwait).", ["RS", "QA", "KW"],
         ["RS", "QA"]),
        ("Serbia signed a visa facilitation agreement with Belarus in December 2024 (in force in 2025).",
         ["RS", "BY"], ["RS", "BY"]),
    ],
)  # fmt: skip
def test_countries_a_visa_measure_concerns_are_not_participants(sentence, countries, expected):
    event = _event("Serbia took decisions on visa alignment", None, countries, None, sentence, "December 2024")
    tag_countries(event)
    assert sorted(event.countries) == sorted(expected)


def test_a_member_state_a_movement_goes_to_is_a_subject():
    title = "Implementation of the temporary scheme of short-stay tourist visits from certain Turkish areas to Greece"
    assert member_states_in(title) == ["GR"]
    assert member_states_in("Handover of the Chairmanship from Equatorial Guinea to Spain") == []
    assert member_states_in("returns from Greece to Türkiye") == []  # the origin is not the destination
    assert member_states_in("visits from certain Turkish areas to Greece", title=False) == []  # a title's only
