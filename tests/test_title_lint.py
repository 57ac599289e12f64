"""The title lint (parsers.title_lint): each mark on fragments and not on event names; every sample's events
pass it. The format variants (HTML, DOCX, PDF copies; flattened text) are linted where they are parsed:
tests/test_formats_e2e.py and tests/test_flattened.py."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers import parse_document
from parsers.phrases import make_title, shorten, tidy
from parsers.title_lint import (
    ACTORS,
    BRACKETS,
    DANGLING,
    DATE_CUT,
    LEADING,
    ONE_WORD,
    PARTICIPLE,
    QUANTITY,
    STATE,
    findings,
)
from parsers.title_repair import fit, headline, labelled, of_context, of_label, referent
from tests.test_layouts_markdown_tables import ROOT


@pytest.mark.parametrize(
    ("title", "mark"),
    [
        ("Signed", ONE_WORD),
        ("Contracting", ONE_WORD),
        ("Signed", PARTICIPLE),
        ("Entered into force", PARTICIPLE),
        ("Followed by an expert mission", PARTICIPLE),
        ("Taken place with Senegal", PARTICIPLE),
        ("Of the I mentioned in my March letter", LEADING),
        (") and Cyprus (signed on cooperation", LEADING),
        ("and MIRAMI Consortium Agreements", LEADING),
        ("It is planned to present the draft rules", LEADING),
        ("Be organised by the Commission", LEADING),
        ("with remaining to be contracted", LEADING),
        ("Tunisia window to be", DANGLING),
        ("Two additional programmes of border management for an additional", DANGLING),
        ("Informal working group meetings on proofs under", DANGLING),
        ("Return support that the Agency provides", DANGLING),
        ("Greece (signed and Cyprus", BRACKETS),
        ("Contract signed) and Cyprus", BRACKETS),
        ("Three meetings", QUANTITY),
        ("Two new programmes", QUANTITY),
        ("12 March and 5 April", DATE_CUT),
        ("– 15 March and", DATE_CUT),
        ("2023 to early 2024", DATE_CUT),
    ],
)
def test_fragment_is_flagged(title: str, mark: str) -> None:
    assert mark in findings(title)


@pytest.mark.parametrize(
    "title",
    [
        "Frontex familiarisation visit of the Tunisian authorities",
        "Signature of the EU–Mauritania joint declaration",
        "Revised Schengen Borders Code",
        "eu-LISA Eurodac Advisory Group",
        "Three joint Commission-EEAS technical missions to Libya",
        "Two Libyan return missions to Brussels",
        "4th EU-Cabo Verde Joint Visa Facilitation Committee meeting",
        "EU-Moldova Joint Readmission Committee (Brussels)",
        "Anti-smuggling project in Tunisia signed",
        "Frontex Liaison Officer to be deployed",
        "Senior Officials Meeting",
        "JHA Council of 12 March",
        "Plan 2026-2027 adopted",
    ],
)
def test_event_name_is_clean(title: str) -> None:
    assert findings(title) == []


@given(st.text(max_size=80))
def test_lint_takes_any_text(title: str) -> None:
    assert isinstance(findings(title), list)


@pytest.mark.parametrize("sample", sorted(ROOT.glob("samples/*.txt")), ids=lambda p: p.name[:3])
def test_every_sample_event_title_is_clean(sample) -> None:
    events = parse_document(sample.name, sample.read_bytes()).events
    flagged = [(e.source.line, e.title, findings(e.title, e.description)) for e in events]
    assert not [found for found in flagged if found[2]]


def _fit(title: str, sentence: str, date: str) -> str:
    start = sentence.index(date)
    return fit(title, sentence, start, start + len(date))


@pytest.mark.parametrize(
    ("title", "sentence", "date", "repaired"),
    [
        ("Followed by an expert mission", "A meeting was held, followed by an expert mission mid-February.",
         "mid-February", "Expert mission"),
        ("It is planned to present the consolidated rules", "On 29-30 April, it is planned to present the "
         "consolidated rules.", "29-30 April", "Presentation of the consolidated rules"),
        ("SCIFA", "SCIFA discussed (13 February) the Pact.", "13 February", "SCIFA meeting"),
        ("MoU", "In line with the conclusions, the MoU was signed on 16 July.", "16 July", "MoU signed"),
        ("In November Serbia", "In November Serbia adopted a visa harmonisation plan, which falls short.",
         "November", "Visa harmonisation plan adopted by Serbia"),
        ("Three meetings", "Relaunch of the Search and Rescue Contact Group; three meetings held in 2023, "
         "(in January, June and October).", "January", "Search and Rescue Contact Group meetings"),
        ("Tunisia window to be", "Tunisia window to be contracted before end of year.", "before end of year",
         "Tunisia window to be contracted"),
        ("Signed", "Albania: Signed on 15 September 2023.", "15 September 2023", "Albania: signature"),
        ("Both presented", "The challenges identified in the Schengen evaluation on return and the Commission "
         "SWD on the returns of third-country nationals, both presented on 16 December 2024, informed it.",
         "16 December 2024", "Schengen evaluation on return and the Commission SWD on the returns presented"),
        ("Frontex and the Egyptian authorities are in contact and working", "Frontex and the Egyptian "
         "authorities are in contact and working on making concrete proposals in December 2023.",
         "December 2023", "Frontex and the Egyptian authorities working on concrete proposals"),
        ("ROCK", "In November 2024, ROCK launched an operation called SAHAN, coordinated with Ethiopia.",
         "November 2024", "Operation SAHAN launched by ROCK"),
        ("Two additional programmes of border management for an additional", "Two additional programmes of "
         "border management for an additional EUR 10 million were initiated in January 2023.", "January 2023",
         "Two additional programmes of border management initiated"),
        ("Revised Schengen Borders Code", "The revised Schengen Borders Code entered into force on 10 July 2024.",
         "10 July 2024", "Revised Schengen Borders Code entered into force"),
        ("Individual Measure", "The EUR 201 million package (Individual Measure), was adopted in December 2024.",
         "December 2024", "Individual Measure adopted"),
        ("First building block, the Entry/Exit System for travellers", "The first building block, the "
         "Entry/Exit System for travellers, will start in the autumn.", "the autumn",
         "Entry/Exit System for travellers to start"),
        ("Negotiation and expected to be finalised", "The contract of the action in Pakistan to be implemented "
         "by GIZ, is under negotiation and expected to be finalised by the end of summer 2024.",
         "the end of summer 2024", "Contract of the action in Pakistan to be finalised"),
        # a participle that modifies the subject ("policy adopted by the Commission") is not its verb
        ("Alignment of the strategies with the policy", "Alignment of the strategies with the policy adopted by "
         "the Commission was completed in January.", "January", "Alignment of the strategies with the policy"),
        # a passive's agent stays when it is a name, not when it is a date
        ("NDICI funding", "NDICI funding was contracted by December 2024.", "December 2024",
         "NDICI funding contracted"),
    ],
)
def test_fragment_is_repaired_from_its_sentence(title: str, sentence: str, date: str, repaired: str) -> None:
    assert _fit(title, sentence, date) == repaired


def test_clean_title_is_kept_and_a_sentence_without_event_gives_none() -> None:
    sentence = "The AMMR Contact Group met on 14 January."
    assert _fit("AMMR Contact Group", sentence, "14 January") == "AMMR Contact Group"
    letter = "Of the EUR 600 million I mentioned in my March letter, EUR 473 million have now been allocated."
    assert _fit("Of the I mentioned in my March letter", letter, "March") == ""


@pytest.mark.parametrize(
    ("clause", "title"),
    [
        ("Visa liberalisation Action Plan for Armenia will be developed", "Visa liberalisation Action Plan for Armenia to be developed"),
        ("Project continuing the COP is expected to be signed", "Project continuing the COP to be signed"),
        ("New phase is to be concluded", "New phase to be concluded"),
        ("Greece has joined", "Greece joined"),
        ("Service was launched", "Service launched"),
        ("Commission will present a Common Implementation Plan", "Commission to present a Common Implementation Plan"),
        ("Will Smith Award ceremony", "Will Smith Award ceremony"),
        ("Frontex Liaison Officer to be deployed", "Frontex Liaison Officer to be deployed"),
    ],
)  # fmt: skip
def test_headline(clause: str, title: str) -> None:
    assert headline(clause) == title


def test_a_subject_without_verb_gets_its_participle() -> None:
    sentence = "Two legislative proposals were adopted on 29 November 2023 to strengthen the legal framework."
    assert _fit("Two legislative proposals", sentence, "29 November 2023") == "Two legislative proposals adopted"
    meeting = "The Steering Committee was held on 4 April 2024."
    assert _fit("Steering Committee", meeting, "4 April 2024") == "Steering Committee"


@pytest.mark.parametrize(
    ("title", "clean"),
    [
        ("Contract on “Support to Cross-Border Cooperation", False),
        ("Webinar “Migration Outlook for 2021”", True),
        ("Eastern Partnership Platform 4 „Mobility and People-to-people contacts”", True),
        ("Five Search and Rescue vessels handed over", True),
        ("Commission proposal for a new Regulation establishing", False),
    ],
)
def test_quotes_phrasal_verbs_and_open_participles(title: str, clean: bool) -> None:
    assert (findings(title) == []) is clean


def test_headline_names_the_object_of_a_reported_action() -> None:
    assert headline("Commission is working to contract projects") == "Contracting of projects"
    assert (
        headline("Commission delivered the operational assistance package on migration announced")
        == "Operational assistance package on migration announced"
    )
    # a generic doer (the Commission, the Council) gives way to what it did
    assert headline("Commission adopted a Skills and Talent Mobility package") == (
        "Skills and Talent Mobility package adopted"
    )
    assert headline("Commission launched two comprehensive Migration and Mobility Dialogues with Bangladesh") == (
        "Two comprehensive Migration and Mobility Dialogues with Bangladesh launched"
    )
    # a named doer stays; so does a clause whose verb is not an event verb
    assert headline("Serbia adopted a visa harmonisation plan") == "Serbia adopted a visa harmonisation plan"
    assert headline("Commission discussed a new approach") == "Commission discussed a new approach"
    # an appositive name stands for the generic words before it; a list of names is no appositive
    assert headline("First building block, the Entry/Exit System") == "Entry/Exit System"
    assert headline("Subcommittee on Migration, Employment and Social Affairs") == (
        "Subcommittee on Migration, Employment and Social Affairs"
    )


@pytest.mark.parametrize(
    "title",
    [
        "First proposed",
        "Working to contract projects",
        "Another to be to be finalised",
        "4 million signed",
        "Commission adopted a proposal to review the mechanism, adding",
        "No change, last meeting of the RELEX Working Party",
    ],
)
def test_more_fragments_are_flagged(title: str) -> None:
    assert findings(title)


def test_a_participle_after_a_comma_takes_the_noun_phrase_before_it() -> None:
    sentence = "One missed opportunity is the reform of the Return Directive, first proposed in 2018."
    assert _fit("First proposed", sentence, "2018") == "Reform of the Return Directive first proposed"


def test_the_second_half_of_a_verb_phrase_is_flagged() -> None:
    assert LEADING in findings("Negotiation and expected to be finalised")
    assert LEADING in findings("Currently under negotiation")
    assert findings("Frontex and Europol joint operation") == []


@pytest.mark.parametrize(
    ("title", "flagged"),
    [
        ("Frontex and the Egyptian authorities are in contact", True),
        ("Egypt window is still under discussion", True),
        ("Joint operation is ongoing in Moldova", True),
        # a state without a copula reads as a status line, a quotation may say anything, a plan is an event
        ("Egypt-component of the regional anti-smuggling programme under discussion", False),
        ("Webinar “What is in place for victims?”", False),
        ("Negotiations are to be launched", False),
    ],
)
def test_a_statement_of_a_state_is_flagged(title: str, flagged: bool) -> None:
    assert (STATE in findings(title)) is flagged


@pytest.mark.parametrize(
    ("title", "mark"),
    [
        (
            "Commission issued a Staff Working Document on the return of illegally staying third-country",
            DANGLING,
        ),
        ("Contract to be signed by IOM in partnership", DANGLING),
        ("Monitoring Mechanism, the methodology", DANGLING),
        ("Solidarity Platform, the forum", DANGLING),
        ("Allowing for new projects to start implementation", LEADING),
        ("Paving the way for a new partnership", LEADING),
    ],
)
def test_an_open_noun_phrase_and_a_lead_gerund_clause_are_flagged(title: str, mark: str) -> None:
    assert mark in findings(title)


@pytest.mark.parametrize(
    "title",
    [
        "Steering Committee follow-up",
        "Project kick-off",
        "Anti-smuggling project in Tunisia signed",
        "Programming for 2024 on IBM presented at NDICI Committee",
        "Meeting to discuss the roadmap",
        "Partnership launched in partnership with UNHCR",
        "Frontex, the EU Agency",
        "Dialogue with the police, the coast guard, the gendarmerie nationale",
        "Meeting with the Ministry of Interior, the police and the gendarmerie",
        "Monitoring Mechanism, the methodology of which was prepared",
    ],
)
def test_a_closed_compound_and_a_gerund_noun_are_clean(title: str) -> None:
    assert findings(title) == []


def test_an_open_noun_phrase_and_a_lead_gerund_clause_are_repaired() -> None:
    swd = (
        "Action 5: the Commission issued a Staff Working Document in December 2024 on the return of illegally "
        "staying third-country nationals posing a security threat."
    )
    cut = "Commission issued a Staff Working Document on the return of illegally staying third-country"
    assert _fit(cut, swd, "December 2024") == "Commission issued a Staff Working Document"
    cops = "Continuation of COPs, allowing for new COP projects to start implementation (2025)."
    assert _fit("Allowing for new COP projects to start implementation", cops, "2025") == (
        "New COP projects to start implementation"
    )


def test_a_subject_without_verb_takes_its_event_verb_and_object() -> None:
    visit = "Representatives of NACORAC visited Frontex HQ on 29-31 January 2024."
    assert _fit("Representatives of NACORAC", visit, "29-31 January 2024") == (
        "Representatives of NACORAC visited Frontex HQ"
    )
    held = "Representatives of the Network held no meeting."
    assert _fit("Representatives of the Network", held, "Network") == "Representatives of the Network"


def test_the_last_part_of_a_list_of_states_takes_its_verb() -> None:
    rdpp = (
        "Programme in North Africa: Phase 6 under implementation (EU funding EUR 25 million for 2023-2025), "
        "Phase 7 started in March (EUR 37.5 million)."
    )
    cut = "Phase 6 under implementation (EU funding for 2023-2025), Phase 7"
    assert _fit(cut, rdpp, "March") == "Phase 7 started"
    # one subject is no list: its title stays
    assert _fit("Phase 7", "Phase 7 started in March.", "March") == "Phase 7"


def test_a_long_clause_is_not_cut_inside_in_partnership_with() -> None:
    text = "Refugees should be contracted through one contract to be signed by IOM in partnership with UNHCR"
    assert shorten(text) == "Refugees should be contracted through one contract to be signed by IOM"


def test_next_meeting_names_what_it_is_the_next_of() -> None:
    sar = (
        "Coordination in the European Contact Group on Search and Rescue (6 meetings so far; next meeting "
        "planned to take place before summer)."
    )
    assert _fit("Next meeting", sar, "before summer") == (
        "Next meeting of the European Contact Group on Search and Rescue"
    )
    alone = "Next roundtable tentatively planned in the first half of 2025."
    assert _fit("Next roundtable", alone, "the first half of 2025") == "Next roundtable"


def test_a_body_that_hosted_an_event_is_its_host() -> None:
    emn = "The European Migration Network hosted (12 March) a capacity-building workshop on modelling."
    assert _fit("European Migration Network", emn, "12 March") == (
        "Capacity-building workshop hosted by European Migration Network"
    )
    nothing = "The European Migration Network hosted (12 March) a number of experts."
    assert _fit("European Migration Network", nothing, "12 March") == "European Migration Network"


def _made(sentence: str, date: str) -> str:
    """The title the prose reader writes for a date of a sentence: made, then fitted."""
    start = sentence.index(date)
    return fit(make_title(sentence, start, start + len(date)), sentence, start, start + len(date))


@pytest.mark.parametrize(
    ("title", "balanced"),
    [
        ("Solidarity Platform 'Pact", False),
        ("Pact' will discuss the state-of-play", False),
        ("Solidarity Platform 'Pact'", True),
        ("Solidarity Platform ‘Pact’", True),
        ("Member States' meeting", True),  # a plural possessive
        ("Commission's plan", True),
        ("Commission Nationale des Droits de l'Homme", True),
        ("Webinar “Outlook: the EU’s Pact on Migration’", True),  # ’ closing a “
    ],
)
def test_single_quotes_must_pair_up(title: str, balanced: bool) -> None:
    assert (BRACKETS not in findings(title)) is balanced


@given(st.lists(st.from_regex(r"[A-Z][a-z]{2,8}", fullmatch=True), min_size=2, max_size=5))
def test_a_quotation_cut_before_its_closing_mark_is_flagged(words: list[str]) -> None:
    head, quoted = " ".join(words[:-1]), words[-1]
    assert BRACKETS in findings(f"{head} '{quoted}")
    assert BRACKETS not in findings(f"{head} '{quoted}'")
    assert BRACKETS not in findings(tidy(f"the {head} '{quoted}'"))  # the title's clean-up keeps the closing mark


@pytest.mark.parametrize(
    ("title", "flagged"),
    [
        ("Frontex, Commission, EEAS and EUDEL", True),
        ("Switzerland, Slovenia and Austria", True),
        ("Justice, Freedom and Security Subcommittee", False),  # the list ends in the body's name
        ("Frontex and Europol joint operation", False),
        ("Subcommittee on Migration, Employment and Social Affairs", False),
    ],
)
def test_a_list_of_actors_is_no_title(title: str, flagged: bool) -> None:
    assert (ACTORS in findings(title)) is flagged


def test_a_lone_another_is_a_quantity_and_its_amount_tells_it_apart() -> None:
    assert QUANTITY in findings("Another top-up")
    assert findings("Another top-up of EUR 90 million") == []
    sentence = (
        "An additional top-up of EUR 70 million is expected to be contracted in the coming weeks, and another "
        "top-up of EUR 90 million may follow to cover needs in 2025."
    )
    assert _made(sentence, "2025") == "Another top-up of EUR 90 million"


def test_a_coordinated_noun_phrase_cut_before_its_noun_is_flagged_against_its_sentence() -> None:
    cut = "Commission proposed directives for a visa facilitation agreement and a readmission"
    sentence = f"On 7 February, the {cut} agreement with Kazakhstan."
    assert DANGLING in findings(cut, sentence)
    assert findings(cut) == []  # the title alone cannot tell
    whole = "Signature of the agreement and a declaration"
    assert findings(whole, f"{whole} on 5 May.") == []
    assert findings(whole, f"{whole} with Egypt on 5 May.") == []
    long_one = (
        "On 7 February, the Commission proposed negotiating directives for a visa facilitation agreement and a "
        "readmission agreement with Kazakhstan."
    )
    assert _made(long_one, "7 February").endswith("and a readmission agreement")


@pytest.mark.parametrize(
    ("sentence", "date", "title"),
    [
        ("The Return Coordinator finalised the Roadmap and discussed with the network on 6-7 December.",
         "6-7 December", "Return Coordinator discussed the Roadmap with the network"),
        ("In January 2022, the European Asylum Support Office (EASO) became the EU Agency for Asylum (EUAA), a "
         "fully-fledged agency.", "January 2022", "EASO became the EU Agency for Asylum"),
        ("Frontex, Commission, EEAS and EUDEL proceeding with the deployment of a Frontex Liaison Officer in "
         "Islamabad following the approval by Pakistani MFA in April 2024.", "April 2024",
         "Deployment of a Frontex Liaison Officer in Islamabad"),
        ("On 28 April, the Solidarity Platform 'Pact' will discuss the state-of-play.", "28 April",
         "Solidarity Platform 'Pact'"),
        ("Commission proposal to review the Visa Suspension Mechanism set out in Regulation (EU) 2018/1806 "
         "adopted on 18 October 2023.", "18 October 2023",
         "Commission proposal to review the Visa Suspension Mechanism adopted"),
        ("The EU is supporting the Rome Action Plan for Development and Migration in the Mediterranean region, "
         "Middle East and Africa launched in July 2023.", "July 2023",
         "Rome Action Plan for Development and Migration launched"),
        ("Kick-off meeting with DE, HU and AT and Turkish authorities on 5-7 December 2023 in Vienna.",
         "5-7 December 2023", "Kick-off meeting with DE, HU and AT and Turkish authorities"),
        ("The Commission continues to coordinate the implementation of its 10-Point Plan for Lampedusa that was "
         "presented on 17 September 2023.", "17 September 2023", "10-Point Plan for Lampedusa presented"),
        ("A Monitoring Mechanism, the methodology of which was prepared in 2023, will monitor the application.",
         "2023", "Methodology of the Monitoring Mechanism prepared"),
        ("The remaining the EUR 5 million (out of EUR 210 million package) funding to strengthen the assistance, "
         "promotion, and protection of the rights of migrants, asylum seekers, and refugees should be contracted "
         "in Q2 2025 through one contract.", "Q2 2025", "Remaining funding to be contracted"),
        ("The Commission held two informal thematic meetings to discuss the Pact: on efficient management of "
         "reception systems and on the Dublin system (23 January), and on frontloading in relation to improved "
         "management of external borders (30 January).", "23 January",
         "Informal thematic meeting on efficient management of reception systems"),
    ],
)  # fmt: skip
def test_a_subject_or_name_is_not_cut_from_its_event(sentence: str, date: str, title: str) -> None:
    assert _made(sentence, date) == title


@pytest.mark.parametrize(
    ("sentence", "date", "title"),
    [
        # a place that is the name's own end stays in it
        ("The Anti-Smuggling regional programme in the Western Balkans was signed in June 2023.", "June 2023",
         "Anti-Smuggling regional programme in the Western Balkans signed"),
        # a one-name 'with' is no list
        ("Kick-off meeting with DE on 5-7 December 2023, and a visit to Ankara.", "5-7 December 2023",
         "Kick-off meeting with DE"),
    ],
)  # fmt: skip
def test_what_must_not_be_extended(sentence: str, date: str, title: str) -> None:
    assert _made(sentence, date) == title


@pytest.mark.parametrize(
    ("title", "before", "named"),
    [
        ("Third roundtable", "• Pakistan: An EUR 3 million programme was signed to support the EU-Pakistan Talent "
         "Partnership. ", "Third roundtable of the EU-Pakistan Talent Partnership"),
        ("Second roundtable", "• Bangladesh: ", "Second roundtable with Bangladesh"),
        # another list item's group is not this item's
        ("Third roundtable", "• Egypt: the EU-Egypt Talent Partnership met. • Tunisia: Joint roadmap under "
         "finalisation. ", "Third roundtable with Tunisia"),
        # nothing named, or a title that names its event already: unchanged
        ("Third roundtable", "Exchanges continue. ", "Third roundtable"),
        ("Steering Committee", "• Bangladesh: ", "Steering Committee"),
    ],
)  # fmt: skip
def test_an_ordinal_event_names_the_group_or_partner_of_its_list_item(title: str, before: str, named: str) -> None:
    assert of_context(title, before) == named


@pytest.mark.parametrize(
    ("sentence", "date", "title"),
    [
        ("On 24-25 January 2024 a two-day workshop was held by OSCE and the Hungarian Ministry of Interior, "
         "focusing on victims.", "24-25 January 2024",
         "Two-day workshop held by OSCE and the Hungarian Ministry of Interior"),
        ("Frontex will follow up the Tunisian visit with an offer of initiatives by the end of 2023.",
         "the end of 2023", "Follow-up of the Tunisian visit with an offer of initiatives"),
        ("We should maintain the momentum created by the International Conference on Development and Migration "
         "in July.", "July", "International Conference on Development and Migration"),
        ("eu-LISA Eurodac Advisory Group (11 February) continued.", "11 February", "eu-LISA Eurodac Advisory Group"),
    ],
)  # fmt: skip
def test_a_generic_event_names_its_host_and_an_act_names_its_object(sentence: str, date: str, title: str) -> None:
    assert _made(sentence, date) == title


def test_a_held_workshop_without_a_named_host_stays() -> None:
    assert _made("On 24-25 January 2024 a two-day workshop was held in Vienna.", "24-25 January 2024") == (
        "Two-day workshop"
    )


@pytest.mark.parametrize(
    ("sentence", "date", "title"),
    [
        ("Consultations with the European Parliament (Working Group on Asylum, 18 February), and with civil "
         "society organisations (19 February).", "19 February", "Consultations with civil society organisations"),
        ("In line with the priorities, the Schengen Council adopted on 5 March recommendations on common areas "
         "for improvement flowing from the evaluation.", "5 March",
         "Schengen Council adopted recommendations on common areas for improvement"),
        ("One of the most significant steps in EU policy has been the activation in March 2022, upon a proposal "
         "by the Commission, of the Temporary Protection Directive for people fleeing.", "March 2022",
         "Activation of the Temporary Protection Directive for people fleeing"),
        ("Latest contacts were a February visit of the Director-General of the Commission's newly established "
         "DG.", "February", "Visit of the Director-General"),
        ("These will focus on: developing a manual by Q2/Q3 2025 to guide actors involved in return.",
         "Q2/Q3 2025", "Development of a manual to guide actors involved in return"),
    ],
)  # fmt: skip
def test_an_elided_event_a_later_object_and_a_copula_name_the_event(sentence: str, date: str, title: str) -> None:
    assert _made(sentence, date) == title


@pytest.mark.parametrize(
    ("sentence", "date", "title"),
    [
        # a plan adopted at the date is no actor: what it proposes is no object of "adopted"
        ("The EU Action Plan for Central Mediterranean adopted in November 2022 proposes 20 measures.",
         "November 2022", "EU Action Plan for Central Mediterranean adopted"),
        # the first half of a coordination is its own event
        ("Consultations with the European Parliament (18 February), and with civil society organisations "
         "(19 February).", "18 February", "Consultations with the European Parliament"),
    ],
)  # fmt: skip
def test_what_a_later_object_or_an_elided_event_must_not_change(sentence: str, date: str, title: str) -> None:
    assert _made(sentence, date) == title


@pytest.mark.parametrize(
    ("title", "flagged"),
    [
        ("Two high-level meetings", True),
        ("One of the most significant steps in EU policy", True),
        ("Two info campaigns launched", False),
        ("Two Libyan return missions to Brussels", False),
        ("Three joint technical missions to Libya", False),
    ],
)
def test_a_quantity_with_modifiers_and_one_of_the_are_fragments(title: str, flagged: bool) -> None:
    assert bool(findings(title)) is flagged


@pytest.mark.parametrize(
    ("sentence", "date", "title"),
    [
        ("Steps taken, in line with the Common Implementation Plan of June 2024: plans were sent.", "June 2024",
         "Common Implementation Plan"),
        ("The results achieved under the Roadmap are the basis for the new implementing rules to be adopted in "
         "2025.", "2025", "New implementing rules to be adopted"),
        ("It organised a follow-up regional gathering of countries of origin, transit and destination on 26-27 "
         "April 2024 in Islamabad.", "26-27 April 2024",
         "Follow-up regional gathering of countries of origin, transit and destination"),
        ("Return and reintegration from transit countries, the Migrant Protection, Return and Reintegration "
         "(MPRR) for Sub-Saharan Africa was signed in July 2023.", "July 2023",
         "MPRR for Sub-Saharan Africa signed"),
    ],
)  # fmt: skip
def test_a_list_a_name_with_commas_and_a_predicate_noun_are_kept_whole(sentence: str, date: str, title: str) -> None:
    assert _made(sentence, date) == title


def test_coordinated_predicates_keep_their_subject() -> None:
    sentence = "Contracts under the Mechanism are under discussion and are expected to be signed in Q2 2025."
    assert _made(sentence, "Q2 2025") == "Contracts under the Mechanism to be signed"
    assert LEADING in findings("Line with the Common Implementation Plan")


@pytest.mark.parametrize(
    ("sentence", "date", "title"),
    [
        # a heading run into its paragraph is no part of the subject
        ("Visa facilitation In response to democratic backsliding in Georgia, the Council adopted on 27 January a "
         "Decision to partially suspend the visa facilitation agreement with the country.", "27 January",
         "Decision to partially suspend the visa facilitation agreement adopted"),
        ("The Roma-Lyon Migration Experts Sub-Group, tasked to follow-up on the Action Plan, is currently mapping "
         "the activities (next meeting April).", "April", "Roma-Lyon Migration Experts Sub-Group next meeting"),
        ("Greece has joined in May 2024, Frontex EU Reintegration Programme (EURP) programme.", "May 2024",
         "Greece joined Frontex EU Reintegration Programme"),
    ],
)  # fmt: skip
def test_a_glued_heading_an_appositive_owner_and_what_was_joined(sentence: str, date: str, title: str) -> None:
    assert _made(sentence, date) == title


def test_a_bare_step_in_a_country_item_names_the_lead_ins_agreement() -> None:
    lead = "Frontex Status Agreements under implementation:"
    item = "Montenegro: Signed on 16 May 2023 with provisional entry into force on 1 July 2023."
    assert labelled("Provisional entry into force", lead, item) == (
        "Provisional entry into force of the Frontex Status Agreement with Montenegro"
    )
    assert labelled("Provisional entry into force", "Notes:", item) == "Provisional entry into force"


def test_things_both_done_are_named_by_the_first() -> None:
    sentence = (
        "An EUR 18 million anti-smuggling action supporting the Operational Partnership, and an EUR 30 million "
        "contract to supply the coastal surveillance system were both signed in November 2024."
    )
    assert _made(sentence, "November 2024") == "Anti-smuggling action supporting the Operational Partnership signed"
    one = "An EUR 18 million anti-smuggling action was signed in November 2024."
    assert _made(one, "November 2024") == "Anti-smuggling action signed"


@given(st.text(max_size=120), st.text(max_size=200))
def test_lint_takes_any_title_and_sentence(title: str, sentence: str) -> None:
    assert isinstance(findings(title, sentence), list)


@given(st.text(max_size=300))
def test_context_keeps_a_named_event_and_only_adds_to_an_ordinal_one(before: str) -> None:
    assert of_context("Steering Committee", before) == "Steering Committee"
    assert of_context("Third roundtable", before).startswith("Third roundtable")


@pytest.mark.parametrize(
    ("title", "before", "named"),
    [
        ("Adoption and publication", "Template for the national strategies: Positive opinion of the committee on "
         "13 February. ", "Adoption and publication of the template for the national strategies"),
        ("Signature", "• EU Talent Pool: Council position agreed. ", "Signature of the EU Talent Pool"),
        # a country label is a partner, not an object; a nominalisation with its object; no label: unchanged
        ("Signature", "• Morocco: talks resumed. ", "Signature"),
        ("Adoption of the action plan", "Template: agreed. ", "Adoption of the action plan"),
        ("Adoption and publication", "Positive opinion of the committee on 13 February. ", "Adoption and publication"),
    ],
)  # fmt: skip
def test_a_bare_nominalisation_takes_its_label_as_object(title: str, before: str, named: str) -> None:
    assert of_label(title, before) == named


@pytest.mark.parametrize(
    ("title", "sentence", "before", "named"),
    [
        ("Implementation of the project", "Implementation of the project started 1 May 2024.",
         "- e-RCMS to be developed in Türkiye under EMPATHY project with IOM (EUR 5 million). ",
         "Implementation of the EMPATHY project"),
        ("Signature of the contract", "Expected signature of the contract in June.",
         'The action "Global Action against the Smuggling of Migrants" (EUR 15 million) is under preparation. ',
         "Signature of the contract for the Global Action against the Smuggling of Migrants"),
        ("Agreement to be signed", "preparation to launch a new assisted voluntary return programme as of early "
         "2024 (agreement to be signed in coming weeks).", "",
         "Agreement for the new assisted voluntary return programme to be signed"),
        ("New phase to be concluded", "A continuation of COPs will be concluded with Mauritania and The Gambia "
         "(new phase is to be concluded by Q2 2025).", "",
         "New phase of COPs with Mauritania and The Gambia to be concluded"),
        # nothing named in the item (another item's name does not count), two quoted names, no programme,
        # no owner of the phase: unchanged
        ("Implementation of the project", "Implementation of the project started in May.",
         "- Support under EMPATHY project with IOM. - The project was approved. ", "Implementation of the project"),
        ("Signature of the contract", "Signature of the contract in June.", 'Actions "Border Support One" and '
         '"Border Support Two" are under preparation. ', "Signature of the contract"),
        ("Agreement to be signed", "The agreement to be signed in coming weeks.", "", "Agreement to be signed"),
        ("New phase to be concluded", "The new phase is to be concluded by Q2 2025.", "", "New phase to be concluded"),
    ],
)  # fmt: skip
def test_a_thing_named_only_by_its_kind_takes_the_name_its_item_gives(
    title: str, sentence: str, before: str, named: str
) -> None:
    assert referent(title, sentence, before) == named


@pytest.mark.parametrize(
    ("title", "before", "named"),
    [
        ("Second expert meeting", "➢ Visa liberalisation dialogue launched in September 2024 with Armenia. A Senior "
         "Officials Meeting was held on 11 December 2024 as part of the dialogue, followed by a second expert meeting "
         "in ", "Second expert meeting of the visa liberalisation dialogue with Armenia"),
        ("Technical mission", "As of 24 November, the Tunisian Coast Guard had executed 3 022 operations. A technical "
         "mission took place on ", "Technical mission with Tunisia"),
        # no "part of", no antecedent, two partners: unchanged
        ("Second expert meeting", "Talks went on. A second expert meeting in ", "Second expert meeting"),
        ("Second expert meeting", "It was held as part of the dialogue, and a second expert meeting in ",
         "Second expert meeting"),
        ("Technical mission", "The Tunisian and Libyan coast guards met. A technical mission took place on ",
         "Technical mission"),
    ],
)  # fmt: skip
def test_a_generic_event_names_what_it_is_part_of_or_its_item_partner(title: str, before: str, named: str) -> None:
    assert of_context(title, before) == named


@pytest.mark.parametrize(
    ("sentence", "date", "title"),
    [
        ("“Strengthening land and sea border management” (EUR 6.4 million) adopted in October 2023.",
         "October 2023", "Strengthening land and sea border management adopted"),
        ("The Commission is working to contract projects by year end for EUR 35 million and early Q1 2024 for "
         "around EUR 30 million to provide vessels.", "early Q1 2024", "Contracting of projects"),
        # a quoted name with no verb after it, an end-of-year deadline that is the title's own date: as before
        ("“Strengthening land and sea border management” (EUR 6.4 million) in October 2023.", "October 2023",
         "Strengthening land and sea border management"),
    ],
)  # fmt: skip
def test_a_quoted_name_takes_its_verb_and_another_date_leaves_the_title(sentence: str, date: str, title: str) -> None:
    assert _made(sentence, date) == title


def test_a_year_end_deadline_stays_when_it_is_no_other_date() -> None:
    assert headline("Contracting of projects by year end") == "Contracting of projects"
    assert headline("Report on the end of the year") == "Report on the end of the year"


@given(st.text(max_size=200), st.text(max_size=300))
def test_kind_names_only_extend_a_title(sentence: str, before: str) -> None:
    for title in ("Implementation of the project", "Agreement to be signed", "Adoption and publication"):
        named = of_label(referent(title, sentence, before), before)
        assert named.split()[0] == title.split()[0] and len(named) >= len(title)
    assert referent("Steering Committee", sentence, before) == "Steering Committee"


@pytest.mark.parametrize(
    ("sentence", "date", "title"),
    [
        ("On 11 March, the Commission put forward a proposal for a new Regulation establishing a common approach on "
         "returns, replacing the current Return Directive.", "11 March",
         "Proposal for a new Regulation establishing a common approach on returns put forward"),
        ("President von der Leyen's visit to Mauritania and the Joint Press Statement in February 2024 led to the "
         "launch of the Migration Partnership.", "February 2024",
         "President von der Leyen's visit to Mauritania and the Joint Press Statement"),
        # a short act keeps its doer; a visit "to" do something is cut at its purpose
        ("On 7 February, the Commission proposed negotiating directives.", "7 February",
         "Commission proposed negotiating directives"),
        ("The Director's visit in May 2024 to discuss the implementation of the readmission arrangement and next "
         "steps of the partnership framework.", "May 2024", "Director's visit"),
    ],
)  # fmt: skip
def test_a_long_title_is_not_cut_inside_its_object_or_destination(sentence: str, date: str, title: str) -> None:
    assert _made(sentence, date) == title


@pytest.mark.parametrize(
    ("title", "sentence", "named"),
    [
        ("First Partnership launched", "The first Partnership was launched with Morocco in July 2022.",
         "First Partnership launched with Morocco"),
        ("Draft agreement shared", "In November 2023, a draft agreement was shared with Tunisia.",
         "Draft agreement shared with Tunisia"),
        # a partner that is no country, or a title naming its country already: unchanged
        ("Roadmap shared", "The roadmap was shared with the Member States in May.", "Roadmap shared"),
        ("Tunisia MoU signed", "The Tunisia MoU was signed with Tunisia in July.", "Tunisia MoU signed"),
    ],
)  # fmt: skip
def test_a_step_takes_the_partner_written_after_its_verb(title: str, sentence: str, named: str) -> None:
    assert referent(title, sentence, "") == named


def test_an_acronym_modifier_keeps_an_ordinal_event_generic() -> None:
    before = "EU and Mauritania discussed format and contents of a dialogue at the first SOM meeting on "
    assert of_context("First SOM meeting", before) == "First SOM meeting with Mauritania"
    # a lower-case modifier other than expert/technical makes it no generic event
    assert of_context("First joint meeting", before) == "First joint meeting"


@pytest.mark.parametrize(
    ("sentence", "date", "title"),
    [
        ("5th Article 25a report in preparation, foreseen to be adopted by end of July 2024.", "by end of July 2024",
         "5th Article 25a report to be adopted"),
        ("In November 2023, the Commission proposed to establish an EU Talent Pool, the first EU-wide platform to "
         "facilitate international recruitment.", "November 2023", "Commission proposed to establish an EU Talent Pool"),
        ("The final assessment, after consultation of Member States, was submitted to the Council in March.", "March",
         "Final assessment submitted"),
        # a state with no step after it, and an appositive that says what the thing is, stay
        ("The 5th Article 25a report is in preparation since May 2024.", "May 2024", "5th Article 25a report"),
        ("In May 2024 the Commission launched the Talent Pool, a platform.", "May 2024", "Talent Pool launched"),
    ],
)  # fmt: skip
def test_a_state_an_aside_or_a_cut_appositive_gives_way_to_the_step(sentence: str, date: str, title: str) -> None:
    assert _made(sentence, date) == title


def test_a_step_takes_its_partner_across_its_date() -> None:
    sentence = "A COP has been concluded in November 2024 with Guinea (EUR 8 million)."
    assert referent("COP concluded", sentence, "") == "COP concluded with Guinea"
    assert referent("COP concluded", "A COP has been concluded in November 2024 with the IOM.", "") == "COP concluded"


@pytest.mark.parametrize(
    ("sentence", "date", "title"),
    [
        ("The signature of additional contracts on legal migration will be finalised before the end of the year; one "
         "additional anti-smuggling contract of indicatively EUR 18 million and border management contract early "
         "next year.", "early next year",
         "Signature of one additional anti-smuggling contract and border management contract"),
        # a clause with its own verb, or things of another kind than the first clause's, keep their title
        ("The signature of additional contracts will be finalised this year; one additional contract was signed in "
         "May 2024.", "May 2024", "One additional contract signed"),
        ("The signature of additional contracts will be finalised this year; a Joint Working Group in May 2024.",
         "May 2024", "Joint Working Group"),
    ],
)  # fmt: skip
def test_a_clause_without_its_verb_names_the_first_clauses_act(sentence: str, date: str, title: str) -> None:
    assert _made(sentence, date) == title
