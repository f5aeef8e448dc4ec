"""Spelling variants of names and outlets' self-references in headlines.

:data:`VARIANTS` folds transliterations of one name to one token. Keys and values are matched
*after* folding (lower case, ä->ae, diacritics stripped, Cyrillic transliterated with the
table in :mod:`crawler.dedup.fold`), so Cyrillic spellings appear here in that Latin form
("kiev", "kiyiv") and stemmed forms (Russian stems such as "zelensk") are listed where the
stemmer produces them.
"""

from __future__ import annotations

from types import MappingProxyType


def _table(rows: str) -> MappingProxyType[str, str]:
    """``canonical: variant variant ...`` lines to a variant -> canonical map."""
    table: dict[str, str] = {}
    for line in rows.strip().splitlines():
        canonical, _, variants = line.partition(":")
        for variant in (canonical, *variants.split()):
            table[variant.strip()] = canonical.strip()
    return MappingProxyType(table)


VARIANTS = _table("""
vladimir: wladimir volodymyr wolodymyr volodimir wolodimir volodymir vladimira wladimirs
zelensky: zelenskyy zelenskiy zelenskij zelenski zelenskyi zelenskyj selenskyj selenskij
    selenski selensky selenskiy zelensk zelenskii zelenskogo
kyiv: kiev kiew kyjiw kyyiv kiyiv kyjiv kiiv kyiw kiewer kiyev
kharkiv: kharkov charkiw charkow kharkiv harkiv kharkova
odesa: odessa odesy
lviv: lwiw lvov lemberg lwow
donetsk: donezk donetska
luhansk: lugansk luhanska
mykolaiv: mykolajiw nikolaev nikolajew mykolayiv
zaporizhzhia: saporischschja zaporozhye zaporizhia zaporizhzhya zaporozhe zaporizhzhya
dnipro: dnepr dnipropetrovsk dnjepr
crimea: krim krym crimee
moscow: moskau moskva moscou moskwa
putin: poutine putina
lavrov: lawrow
shoigu: schoigu
peskov: peskow
medvedev: medwedew medvedeva
navalny: nawalny navalnyy navalnij nawalnyj navalnyi
prigozhin: prigoschin prigojine
kuleba: kulebi
yermak: jermak
klitschko: klychko klitschkos klichko
gerasimov: gerassimow
belarus: weissrussland belarussia
lukashenko: lukaschenko loukachenko lukashenka
navalnaya: nawalnaja
tokayev: tokajew
erdogan: erdoan
netanyahu: netanjahu netaniahou
hamas: hamass
hezbollah: hisbollah hizbollah hizbullah hisbullah
taliban: taleban
rouhani: rohani rowhani ruhani
morsi: mursi
gaddafi: qaddafi gadhafi kadhafi ghaddafi gaddhafi
khamenei: chamenei
zhang: tschang
xi: xis
us: usa
""")

#: Outlet names that headlines carry as a prefix ("tagesschau.de: ...") or a suffix
#: ("... - Reuters", "... | DW", "... – SPIEGEL"). Matched case-insensitively as whole names.
OUTLETS = (
    "Reuters", "AP", "AP News", "AFP", "dpa", "DW", "Deutsche Welle", "tagesschau.de", "tagesschau",
    "ARD", "ZDF", "ZDFheute", "heute", "SPIEGEL", "DER SPIEGEL", "Spiegel Online", "ZEIT ONLINE",
    "DIE ZEIT", "FAZ", "FAZ.NET", "F.A.Z.", "Süddeutsche Zeitung", "SZ.de", "SZ", "n-tv.de", "ntv",
    "n-tv", "WELT", "DIE WELT", "BILD", "Handelsblatt", "Tagesspiegel", "taz", "RND",
    "Focus Online", "FOCUS online", "stern.de", "t-online", "heise online", "heise",
    "netzpolitik.org", "golem.de", "MDR", "NDR", "WDR", "BR24", "SWR", "SRF", "ORF", "NZZ",
    "Die Presse", "derStandard.at", "DER STANDARD", "BBC", "BBC News", "The Guardian",
    "Guardian", "CNN", "CNN Politics", "Al Jazeera", "POLITICO", "Politico Europe", "Euronews",
    "Bloomberg", "Financial Times", "FT", "The New York Times", "NYT", "The Washington Post",
    "Washington Post", "WSJ", "The Wall Street Journal", "Axios", "The Hill", "NPR", "CBS News",
    "NBC News", "ABC News", "Fox News", "Sky News", "The Independent", "The Telegraph",
    "Kyiv Independent", "The Kyiv Independent", "Kyiv Post", "Ukrainska Pravda", "Meduza",
    "The Moscow Times", "Le Monde", "Le Figaro", "Libération", "France 24", "RFI", "franceinfo",
    "TASS", "ТАСС", "RIA Novosti", "РИА Новости", "Interfax", "Интерфакс", "Коммерсантъ",
    "Ведомости", "РБК", "Українська правда", "Укрінформ", "Ukrinform", "UNIAN", "УНІАН",
    "The Record", "Recorded Future News", "BleepingComputer", "The Register", "SecurityWeek",
    "Dark Reading", "Ars Technica", "Wired", "WIRED",
)
