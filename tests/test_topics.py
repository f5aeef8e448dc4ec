from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.errors import ConfigError
from crawler.models import Record, TopicMatch
from crawler.topics import Lexicon, Topic, bundled_lexicon_path, normalize

LANGUAGES = ("de", "en", "fr", "ru", "uk")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


def topics(lexicon: Lexicon, text: str, language: str | None) -> set[str]:
    return {match.topic for match in lexicon.tag("", text, language)}


# (topic, language, a text about it, a text that looks close but is not)
EXAMPLES = [
    ("nato-alliances", "de", "Die Nato verstärkt ihre Ostflanke",
     "Bündnis 90/Die Grünen schließen ein Bündnis mit der Allianz-Versicherung"),
    ("nato-alliances", "en", "NATO's eastern flank gets more air policing",
     "A retail alliance of allies in the fashion industry"),
    ("nato-alliances", "fr", "Le sommet de l’OTAN à La Haye", None),
    ("nato-alliances", "ru", "Саммит НАТО в Гааге", None),
    ("nato-alliances", "uk", "Колективна оборона східного флангу", None),
    ("arms-control-nuclear", "de", "Russland stationiert Atomwaffen in Belarus",
     "Die letzten Kernkraftwerke gehen vom Netz, Atomkraft bleibt umstritten"),
    ("arms-control-nuclear", "en", "Talks on New START limits for nuclear warheads",
     "The nuclear power plant restarts after maintenance"),
    ("arms-control-nuclear", "fr", "La dissuasion nucléaire française", None),
    ("arms-control-nuclear", "ru", "Испытания ядерного оружия возобновятся", None),
    ("arms-control-nuclear", "uk", "Росія погрожує ядерною зброєю", None),
    ("sanctions-export-control", "de", "EU beschließt das 19. Sanktionspaket gegen Russland",
     "Jobcenter verschärfen Bürgergeld-Sanktionen; Taylor Swift tritt in München auf"),
    ("sanctions-export-control", "en", "US imposes sanctions on shadow fleet tankers",
     "A swift decision on the new tax"),
    ("sanctions-export-control", "fr", "Le gel des avoirs russes", None),
    ("sanctions-export-control", "ru", "Новые санкции против России", None),
    ("sanctions-export-control", "uk", "ЄС ухвалив нові санкції", None),
    ("cyber-hybrid", "de", "Hackerangriff auf den Bundestag", "Tesla liefert den Cybertruck aus"),
    ("cyber-hybrid", "en", "A ransomware attack blamed on Sandworm",
     "Cyber Monday deals on the Cybertruck"),
    ("cyber-hybrid", "fr", "Une cyberattaque contre l'hôpital", None),
    ("cyber-hybrid", "ru", "Кибератака на банк", "Диверсификация экономики продолжается"),
    ("cyber-hybrid", "uk", "Масована кібератака на Укрзалізницю", None),
    ("terrorism", "de", "Terroranschlag in Wien vereitelt", "Die neue Terrasse ist fertig"),
    ("terrorism", "en", "Islamic State claims the attack",
     "The radical new design of the terrace"),
    ("terrorism", "fr", "Un attentat déjoué à Paris", "Une mesure attentatoire aux libertés"),
    ("terrorism", "ru", "Теракт в Москве", None),
    ("terrorism", "uk", "Теракт у Києві", None),
    ("defence-industry-procurement", "de", "Rheinmetall baut ein neues Munitionswerk",
     "Die Ritterrüstung im Museum wird restauriert"),
    ("defence-industry-procurement", "en", "Rheinmetall expands ammunition production",
     "A spirited defence of the steel industry"),
    ("defence-industry-procurement", "fr", "La loi de programmation militaire adoptée", None),
    ("defence-industry-procurement", "ru", "Гособоронзаказ выполнен", None),
    ("defence-industry-procurement", "uk", "Укроборонпром збільшує виробництво снарядів", None),
    ("ukraine-russia-war", "de", "Russischer Angriffskrieg: Kämpfe um Pokrowsk",
     "Ein Krimi über die Kriminalpolizei"),
    ("ukraine-russia-war", "en", "Zelenskyy visits Kharkiv", "A lecture on World War II"),
    ("ukraine-russia-war", "fr", "La contre-offensive ukrainienne à Zaporijjia", None),
    ("ukraine-russia-war", "ru", "ВСУ отошли от Покровска", None),
    ("ukraine-russia-war", "uk", "Окупанти обстріляли Херсон", "Відкрито кримінальну справу"),
    ("middle-east", "de", "Waffenruhe im Gazastreifen", "Erdgas aus Norwegen wird teurer"),
    ("middle-east", "en", "Houthi attacks in the Red Sea", "The eastern Mediterranean diet"),
    ("middle-east", "fr", "La situation à Gaza", None),
    ("middle-east", "ru", "Удары по сектору Газа", "Цены газа выросли"),
    ("middle-east", "uk", "Переговори щодо сектору Газа", "Сирі овочі корисні"),
    ("indo-pacific", "de", "Manöver in der Taiwanstraße", "Pazifik-Urlaub auf Hawaii"),
    ("indo-pacific", "en", "Coast guard clash near Scarborough Shoal", "Pacific salmon recipes"),
    ("indo-pacific", "fr", "Tensions en mer de Chine méridionale", None),
    ("indo-pacific", "ru", "КНДР запустила ракету", "Он курил на балконе"),
    ("indo-pacific", "uk", "Навчання у Тайванській протоці", None),
    ("space-security", "de", "Die Bundeswehr baut ihr Weltraumkommando aus",
     "Die Raumfahrtagentur startet einen Wettersatelliten"),
    ("space-security", "en", "Russia tests an anti-satellite weapon",
     "Satellite TV subscriptions fall"),
    ("space-security", "fr", "La stratégie de défense spatiale", None),
    ("space-security", "ru", "Противоспутниковое оружие", None),
    ("space-security", "uk", "Старлінк для фронту", None),
    ("migration-border-security", "de", "Asylanträge sinken, Grenzkontrollen verlängert",
     "Vogelzug: die Migration der Störche"),
    ("migration-border-security", "en", "Frontex reports less irregular migration",
     "Data migration to the cloud"),
    ("migration-border-security", "fr", "Les passeurs de la Manche", None),
    ("migration-border-security", "ru", "Мигранты на границе с Польшей", None),
    ("migration-border-security", "uk", "Біженці з України", "Притулок для тварин"),
    ("disinformation", "de", "Russische Desinformationskampagne im Wahlkampf",
     "Die Information der Bürgerinnen und Bürger"),
    ("disinformation", "en", "A Doppelganger campaign spreads disinformation",
     "A public information campaign on vaccines"),
    ("disinformation", "fr", "Viginum détecte une ingérence étrangère", None),
    ("disinformation", "ru", "Очередные фейки о мобилизации", None),
    ("disinformation", "uk", "ЦПД спростовує російські ІПСО", None),
]


@pytest.mark.parametrize(("topic", "language", "about", "not_about"), EXAMPLES)
def test_topic_is_found_in_its_example_and_not_in_the_lookalike(
    lexicon: Lexicon, topic: str, language: str, about: str, not_about: str | None
) -> None:
    assert topic in topics(lexicon, about, language)
    if not_about is not None:
        assert topic not in topics(lexicon, not_about, language)
        assert topic not in topics(lexicon, not_about, None)


def test_every_topic_has_examples_in_de_and_en_both_ways_and_in_fr_ru_uk(
    lexicon: Lexicon,
) -> None:
    for topic in lexicon.topics:
        mine = {(language, lookalike is not None) for t, language, _, lookalike in EXAMPLES
                if t == topic.id}
        assert {("de", True), ("en", True)} <= mine, topic.id
        assert {"fr", "ru", "uk"} <= {language for language, _ in mine}, topic.id


def test_bundled_lexicon_has_labels_and_15_to_40_terms_a_language(lexicon: Lexicon) -> None:
    assert len(lexicon.topics) >= 9
    for topic in lexicon.topics:
        assert topic.label
        for language in LANGUAGES:
            assert 15 <= len(topic.terms[language]) <= 40, (topic.id, language)


def test_russian_and_ukrainian_terms_are_mostly_cyrillic(lexicon: Lexicon) -> None:
    for topic in lexicon.topics:
        for language in ("ru", "uk"):
            terms = topic.terms[language]
            cyrillic = [t for t in terms if re.search("[\u0400-\u04ff]", t)]
            assert len(cyrillic) >= 0.8 * len(terms), (topic.id, language)


def test_prefix_terms_match_german_compounds_from_their_start(lexicon: Lexicon) -> None:
    [match] = [m for m in lexicon.tag("Rüstungsexporte und Rüstungsindustrie", language="de")
               if m.topic == "defence-industry-procurement"]
    assert match.terms == ["Rüstung*"]
    assert "defence-industry-procurement" not in topics(lexicon, "Ritterrüstung", "de")


def test_cyrillic_prefix_terms_take_case_endings(lexicon: Lexicon) -> None:
    for form in ("санкции", "санкций", "санкциями", "санкционный"):
        assert "sanctions-export-control" in topics(lexicon, form, "ru"), form


def small(terms: str, language: str = "en") -> Lexicon:
    return Lexicon.parse(f'[topics.t]\nlabel = "T"\n{language} = [{terms}]\n')


def test_exact_term_stops_at_a_letter_but_not_at_a_hyphen_or_apostrophe() -> None:
    lexicon = small('"NATO"')
    assert lexicon.tag("NATO-Gipfel") == lexicon.tag("NATO's summit") == [
        TopicMatch(topic="t", terms=["NATO"])
    ]
    assert lexicon.tag("NATOs Rolle") == []
    assert lexicon.tag("Natoli") == []


def test_phrase_matches_across_space_hyphen_and_line_break_but_not_a_comma() -> None:
    lexicon = small('"cyber attack*"')
    for text in ("cyber-attacks", "Cyber attack", "cyber\n  attacks", "cyber - attack"):
        assert lexicon.tag(text), text
    assert lexicon.tag("cyber, attack") == []
    assert lexicon.tag("cyber", "attack") == []


def test_phrase_may_carry_a_prefix_on_each_word() -> None:
    lexicon = small('"ядерн* оружи*"', "ru")
    assert lexicon.tag("ядерным оружием", language="ru")
    assert lexicon.tag("ядерная энергетика", language="ru") == []


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ('"Straße von Hormus"', "STRASSE VON HORMUS"),
        ('"l\'OTAN"', "l’OTAN"),
        ('"Rüstung*"', "Rüs\u00adtungsexporte"),
        ('"ИГИЛ"', "игил"),
        ('"Орешник"', "Орёшник"),
        ('"IRIS²"', "iris2"),
        ('"apt28"', "ＡＰＴ２８"),
    ],
)
def test_matching_is_by_unicode_normal_form_and_case_fold(term: str, text: str) -> None:
    assert small(term).tag(text), (term, text)


def test_normalize_folds_typography_and_case() -> None:
    assert normalize("Die ＮＡＴＯ’s ÄRGER\u200b") == "die nato's ärger"


def test_known_language_uses_its_terms_plus_english_only() -> None:
    lexicon = Lexicon.parse(
        '[topics.t]\nlabel = "T"\nde = ["Ostflanke"]\nen = ["NATO"]\nfr = ["OTAN"]\n'
    )
    text = "Ostflanke NATO OTAN"
    assert lexicon.tag(text, language="de")[0].terms == ["NATO", "Ostflanke"]
    assert lexicon.tag(text, language="fr")[0].terms == ["NATO", "OTAN"]
    assert lexicon.tag(text, language="de-AT")[0].terms == ["NATO", "Ostflanke"]
    assert lexicon.tag(text, language="pl")[0].terms == ["NATO"]
    assert lexicon.tag(text)[0].terms == ["NATO", "OTAN", "Ostflanke"]
    assert lexicon.tag(text, language="")[0].terms == ["NATO", "OTAN", "Ostflanke"]


def test_results_are_ordered_by_topic_then_term(lexicon: Lexicon) -> None:
    result = lexicon.tag(
        "Sanktionen, Sanktionspaket: Nato und Israel", "Embargo, Terror, NATO", "de"
    )
    assert [m.topic for m in result] == sorted(m.topic for m in result)
    assert all(m.terms == sorted(set(m.terms)) for m in result)
    assert result == lexicon.tag(
        "Sanktionen, Sanktionspaket: Nato und Israel", "Embargo, Terror, NATO", "de"
    )


def test_one_term_spelled_alike_in_two_languages_is_reported_once(lexicon: Lexicon) -> None:
    [match] = lexicon.tag("Terror", language=None)
    assert match.terms == ["Terror*"]


def test_tag_record_reads_title_summary_and_text_in_the_records_language(
    lexicon: Lexicon,
) -> None:
    record = Record(
        id="1", url="https://a.eu/1", source="a", title="Gipfeltreffen", title_raw="x",
        summary="Die Nato tagt", text="Neue Sanktionspakete", fetched_at="2025-01-01T00:00:00Z",
        content_hash="h", language="de",
    )
    assert [m.topic for m in lexicon.tag_record(record)] == [
        "nato-alliances", "sanctions-export-control"
    ]


def test_user_file_extending_the_bundled_lexicon_adds_topics_and_terms(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'extends = "bundled"\n'
        '[topics.arctic]\nlabel = "Arctic security"\nen = ["High North", "Svalbard"]\n'
        '[topics.nato-alliances]\nde = ["Nordflanke"]\n',
        encoding="utf-8",
    )
    lexicon = Lexicon.load(path)
    assert {t.id for t in Lexicon.load().topics} < {t.id for t in lexicon.topics}
    assert topics(lexicon, "Russische Schiffe vor Svalbard an der Nordflanke", "de") == {
        "arctic", "nato-alliances"
    }
    nato = next(t for t in lexicon.topics if t.id == "nato-alliances")
    assert nato.label == "NATO and alliances"
    assert "Ostflanke*" in nato.terms["de"]


def test_merge_adds_another_lexicon_on_top_and_its_label_wins() -> None:
    base = Lexicon.parse('[topics.a]\nlabel = "A"\nen = ["alpha"]\n')
    extra = Lexicon((Topic("a", "Alpha", {"en": ("alpha", "aleph")}), Topic("b", "B", {})))
    merged = base.merge(extra)
    assert [(t.id, t.label) for t in merged.topics] == [("a", "Alpha"), ("b", "B")]
    assert merged.topics[0].terms["en"] == ("alpha", "aleph")
    assert merged.tag("aleph") == [TopicMatch(topic="a", terms=["aleph"])]


def test_a_user_file_without_extends_replaces_the_bundled_one(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[topics.arctic]\nlabel = "Arctic"\nen = ["Svalbard"]\n', encoding="utf-8")
    assert [t.id for t in Lexicon.load(path).topics] == ["arctic"]


def test_bundled_path_is_the_default() -> None:
    assert Lexicon.load(bundled_lexicon_path()) == Lexicon.load()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[topics.a\n", "invalid TOML"),
        ('extends = "mine"\n[topics.a]\nlabel = "A"', "key 'extends': 'mine'"),
        ('version = 2\n[topics.a]\nlabel = "A"', "unknown key 'version'"),
        ("title = 'x'\n", "unknown key 'title'"),
        ("", r"expected one or more \[topics.<id>\]"),
        ('[topics.Bad_Id]\nlabel = "A"', "topic 'Bad_Id': an id may hold"),
        ('[topics.a]\nen = ["x"]', "topic 'a': key 'label' is required"),
        ('[topics.a]\nlabel = 3', "topic 'a': key 'label' must be a string"),
        ('[topics.a]\nlabel = "A"\nenglish = ["x"]', "topic 'a': unknown key 'english'"),
        ('[topics.a]\nlabel = "A"\nen = "x"', "topic 'a': key 'en' must be a list of strings"),
        ('[topics.a]\nlabel = "A"\nen = ["P5+1"]', "topic 'a': key 'en': term 'P5\\+1' must be"),
        ('[topics.a]\nlabel = "A"\nde = ["*krieg"]', "topic 'a': key 'de': term '\\*krieg'"),
        ('[topics.a]\nlabel = "A"\nde = [""]', "topic 'a': key 'de': term ''"),
        ('[topics.a]\nlabel = "A"\nen = ["EU*"]', "term 'EU\\*': a prefix needs at least 3"),
    ],
)
def test_invalid_lexicon_names_the_topic_and_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        Lexicon.parse(text, "mine.toml")
    # Its line: tests/test_acceptance_topics.py.
    assert re.match(r"mine.toml(:line \d+)?: ", str(caught.value))


def test_duplicate_topic_in_code_is_refused() -> None:
    with pytest.raises(ConfigError, match="topic 'a': defined twice"):
        Lexicon((Topic("a", "A"), Topic("a", "A")))


def test_missing_and_non_utf8_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read lexicon file"):
        Lexicon.load(tmp_path / "nope.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes('[topics.a]\nlabel = "Rüstung"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        Lexicon.load(path)
