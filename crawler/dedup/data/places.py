"""Places, as the country each name stands for: the basis of the places veto in verify().

Two headlines of one template about different countries or cities ("Security Council to vote
on Gaza ceasefire" / "... Sudan ceasefire") are different stories; a city and its country
("Moscow says" / "Russia says") are not. So every name maps to an ISO 3166 country code.

:data:`GENERATED` comes from the Unicode CLDR data in babel 2.19 (CLDR's licence: Unicode,
attribution kept here), per language: one-word territory names, one-word language names
that also name a country's people ("Russian", "russisch", "russe" -> RU), and one-word time
zone cities of at least 4 letters (not for countries with many zones, whose zones are named
after small towns such as "Center" or "Resolute"); dependent territories are left out
("Réunion" is also a French word). The generator, run once by hand::

    for code, name in Locale(lang).territories.items(): two-letter codes, one word
    for language, country in LANGUAGE_COUNTRY.items(): Locale(lang).languages[language]
    for zone, country in get_global("zone_territories").items():
        get_timezone_location(zone, locale=lang, return_city=True)

:data:`ADDED` is written by hand: demonyms, capitals without their own time zone, places in
the news that are not countries (Gaza, Crimea), and the usual short forms (US, UK).
The names below the country, among them, are listed again in :mod:`.cities`.
Names are written naturally and run through the tokenizer on load; a name that does not
become exactly one token is ignored.
"""

from __future__ import annotations

from types import MappingProxyType


def _table(rows: str) -> MappingProxyType[str, str]:
    """``Name:CODE`` items, whitespace-separated, to a name -> code map."""
    return MappingProxyType(dict(item.rsplit(":", 1) for item in rows.split()))


GENERATED = MappingProxyType({
    "de": _table("""
Abidjan:CI Accra:GH Aden:YE Afghanistan:AF Albanien:AL Albanisch:AL Algerien:DZ Algier:DZ
Amman:JO Amsterdam:NL Anadyr:RU Andorra:AD Angola:AO Antananarivo:MG Antigua:AG Apia:WS
Argentinien:AR Armenien:AM Armenisch:AM Aserbaidschan:AZ Aserbaidschanisch:AZ Asmara:ER
Astrachan:RU Asunción:PY Athen:GR Australien:AU Aşgabat:TM Bagdad:IQ Bahamas:BS Bahrain:BH
Baku:AZ Bamako:ML Bangkok:TH Bangladesch:BD Bangui:CF Banjul:GM Barbados:BB Barnaul:RU
Beirut:LB Belarus:BY Belarussisch:BY Belgien:BE Belgrad:RS Belize:BZ Benin:BJ Berlin:DE
Bhutan:BT Bischkek:KG Bissau:GW Blantyre:MW Bogotá:CO Bolivien:BO Botsuana:BW Bougainville:PG
Brasilien:BR Bratislava:SK Brazzaville:CG Brüssel:BE Budapest:HU Bujumbura:BI Bukarest:RO
Bulgarien:BG Bulgarisch:BG Burundi:BI Büsingen:DE Caracas:VE Casablanca:MA Chandyga:RU Chile:CL
China:CN Chinesisch:CN Chișinău:MD Colombo:LK Conakry:GN Dakar:SN Damaskus:SY Daressalam:TZ
Deutsch:DE Deutschland:DE Dhaka:BD Dili:TL Dominica:DM Douala:CM Dschibuti:DJ Dubai:AE
Dublin:IE Duschanbe:TJ Dänemark:DK Dänisch:DK Ecuador:EC Efate:VU Eritrea:ER Eriwan:AM
Estland:EE Estnisch:EE Eswatini:SZ Famagusta:CY Fidschi:FJ Finnisch:FI Finnland:FI
Frankreich:FR Französisch:FR Freetown:SL Funafuti:TV Gaborone:BW Gabun:GA Gambia:GM Gaza:PS
Georgien:GE Georgisch:GE Ghana:GH Grenada:GD Griechenland:GR Griechisch:GR Grönland:GL
Guadalcanal:SB Guatemala:GT Guinea:GN Guyana:GY Haiti:HT Harare:ZW Havanna:CU Hebron:PS
Hebräisch:IL Helsinki:FI Hindi:IN Honduras:HN Hongkong:HK Indien:IN Indonesien:ID
Indonesisch:ID Irak:IQ Iran:IR Irkutsk:RU Irland:IE Island:IS Israel:IL Istanbul:TR Italien:IT
Italienisch:IT Jakutsk:RU Jamaika:JM Japan:JP Japanisch:JP Jekaterinburg:RU Jemen:YE
Jerusalem:IL Johannesburg:ZA Jordanien:JO Juba:SS Kabul:AF Kairo:EG Kaliningrad:RU Kalkutta:IN
Kambodscha:KH Kamerun:CM Kampala:UG Kamtschatka:RU Kanada:CA Karatschi:PK Kasachisch:KZ
Kasachstan:KZ Katar:QA Kathmandu:NP Kenia:KE Khartum:SD Kiew:UA Kigali:RW Kirgisistan:KG
Kiribati:KI Kirow:RU Kolumbien:CO Komoren:KM Kopenhagen:DK Koreanisch:KR Kosovo:XK
Krasnojarsk:RU Kroatien:HR Kroatisch:HR Kuba:CU Kuching:MY Kuwait:KW Lagos:NG Laos:LA
Lesotho:LS Lettisch:LV Lettland:LV Libanon:LB Liberia:LR Libreville:GA Libyen:LY
Liechtenstein:LI Lima:PE Litauen:LT Litauisch:LT Ljubljana:SI Lomé:TG London:GB Luanda:AO
Lusaka:ZM Luxemburg:LU Macau:MO Madagaskar:MG Magadan:RU Mahé:SC Malabo:GQ Malawi:MW
Malaysia:MY Malediven:MV Mali:ML Malta:MT Managua:NI Manila:PH Maputo:MZ Marokko:MA
Marshallinseln:MH Maseru:LS Maskat:OM Mauretanien:MR Mauritius:MU Mbabane:SZ Mexiko:MX
Mikronesien:FM Minsk:BY Mogadischu:SO Monaco:MC Mongolei:MN Mongolisch:MN Monrovia:LR
Montenegro:ME Montevideo:UY Mosambik:MZ Moskau:RU Myanmar:MM Nairobi:KE Namibia:NA Nassau:BS
Nauru:NR Nepal:NP Neuseeland:NZ Niamey:NE Nicaragua:NI Niederlande:NL Niederländisch:NL
Niger:NE Nigeria:NG Nikosia:CY Nordkorea:KP Nordmazedonien:MK Norwegen:NO Nouakchott:MR
Nowokuznetsk:RU Nowosibirsk:RU N’Djamena:TD Oman:OM Omsk:RU Oslo:NO Ouagadougou:BF Pakistan:PK
Palau:PW Panama:PA Paraguay:PY Paramaribo:SR Paris:FR Persisch:IR Peru:PE Philippinen:PH
Pjöngjang:KP Podgorica:ME Polen:PL Polnisch:PL Portugal:PT Portugiesisch:PT Prag:CZ Rangun:MM
Reyk­ja­vík:IS Riad:SA Riga:LV Ruanda:RW Rumänien:RO Rumänisch:RO Russisch:RU Russland:RU
Sachalin:RU Salomonen:SB Samara:RU Samarkand:UZ Sambia:ZM Samoa:WS Sarajevo:BA Saratow:RU
Sark:CQ Schweden:SE Schwedisch:SE Schweiz:CH Senegal:SN Seoul:KR Serbien:RS Serbisch:RS
Seychellen:SC Shanghai:CN Simbabwe:ZW Simferopol:UA Singapur:SG Skopje:MK Slowakei:SK
Slowakisch:SK Slowenien:SI Slowenisch:SI Sofia:BG Somalia:SO Spanien:ES Spanisch:ES
Srednekolymsk:RU Stockholm:SE Sudan:SD Suriname:SR Syrien:SY Südafrika:ZA Südkorea:KR
Südsudan:SS Tadschikistan:TJ Taipeh:TW Taiwan:TW Tallinn:EE Tansania:TZ Taschkent:UZ
Tegucigalpa:HN Teheran:IR Thailand:TH Thailändisch:TH Thimphu:BT Tiflis:GE Tirana:AL Togo:TG
Tokio:JP Tomsk:RU Tonga:TO Tongatapu:TO Tripolis:LY Troll:001 Tschad:TD Tschechien:CZ
Tschechisch:CZ Tschita:RU Tunesien:TN Tunis:TN Turkmenistan:TM Tuvalu:TV Türkei:TR Türkisch:TR
Uganda:UG Ukraine:UA Ukrainisch:UA Uljanowsk:RU Ungarisch:HU Ungarn:HU Uruguay:UY Usbekisch:UZ
Usbekistan:UZ Vaduz:LI Vanuatu:VU Vatikan:VA Vatikanstadt:VA Venezuela:VE Vientiane:LA
Vietnam:VN Vietnamesisch:VN Vilnius:LT Warschau:PL Westsahara:EH Wien:AT Windhoek:NA
Wladiwostok:RU Wolgograd:RU Zagreb:HR Zypern:CY Zürich:CH Ägypten:EG Äquatorialguinea:GQ
Äthiopien:ET Österreich:AT Ürümqi:CN
"""),
    "en": _table("""
Abidjan:CI Accra:GH Aden:YE Afghanistan:AF Albania:AL Albanian:AL Algeria:DZ Algiers:DZ
Amman:JO Amsterdam:NL Anadyr:RU Andorra:AD Angola:AO Antananarivo:MG Antigua:AG Apia:WS
Argentina:AR Armenia:AM Armenian:AM Ashgabat:TM Asmara:ER Astrakhan:RU Asunción:PY Athens:GR
Australia:AU Austria:AT Azerbaijan:AZ Azerbaijani:AZ Baghdad:IQ Bahamas:BS Bahrain:BH Baku:AZ
Bamako:ML Bangkok:TH Bangladesh:BD Bangui:CF Banjul:GM Barbados:BB Barnaul:RU Beirut:LB
Belarus:BY Belarusian:BY Belgium:BE Belgrade:RS Belize:BZ Benin:BJ Berlin:DE Bhutan:BT
Bishkek:KG Bissau:GW Blantyre:MW Bogotá:CO Bolivia:BO Botswana:BW Bougainville:PG Bratislava:SK
Brazil:BR Brazzaville:CG Brunei:BN Brussels:BE Bucharest:RO Budapest:HU Bujumbura:BI
Bulgaria:BG Bulgarian:BG Burundi:BI Büsingen:DE Cairo:EG Cambodia:KH Cameroon:CM Canada:CA
Caracas:VE Casablanca:MA Chad:TD Chile:CL China:CN Chinese:CN Chita:RU Chișinău:MD Colombia:CO
Colombo:LK Comoros:KM Conakry:GN Copenhagen:DK Croatia:HR Croatian:HR Cuba:CU Cyprus:CY
Czech:CZ Czechia:CZ Dakar:SN Damascus:SY Danish:DK Denmark:DK Dhaka:BD Dili:TL Djibouti:DJ
Dominica:DM Douala:CM Dubai:AE Dublin:IE Dushanbe:TJ Dutch:NL Ecuador:EC Efate:VU Egypt:EG
Eritrea:ER Estonia:EE Estonian:EE Eswatini:SZ Ethiopia:ET Famagusta:CY Fiji:FJ Finland:FI
Finnish:FI France:FR Freetown:SL French:FR Funafuti:TV Gabon:GA Gaborone:BW Gambia:GM Gaza:PS
Georgia:GE Georgian:GE German:DE Germany:DE Ghana:GH Greece:GR Greek:GR Greenland:GL Grenada:GD
Guadalcanal:SB Guatemala:GT Guinea:GN Guyana:GY Haiti:HT Harare:ZW Havana:CU Hebrew:IL
Hebron:PS Helsinki:FI Hindi:IN Honduras:HN Hungarian:HU Hungary:HU Iceland:IS India:IN
Indonesia:ID Indonesian:ID Iran:IR Iraq:IQ Ireland:IE Irkutsk:RU Israel:IL Istanbul:TR
Italian:IT Italy:IT Jamaica:JM Japan:JP Japanese:JP Jerusalem:IL Johannesburg:ZA Jordan:JO
Juba:SS Kabul:AF Kaliningrad:RU Kamchatka:RU Kampala:UG Karachi:PK Kathmandu:NP Kazakh:KZ
Kazakhstan:KZ Kenya:KE Khandyga:RU Khartoum:SD Kigali:RW Kiribati:KI Kirov:RU Kolkata:IN
Korean:KR Kosovo:XK Krasnoyarsk:RU Kuching:MY Kuwait:KW Kyiv:UA Kyrgyzstan:KG Lagos:NG Laos:LA
Latvia:LV Latvian:LV Lebanon:LB Lesotho:LS Liberia:LR Libreville:GA Libya:LY Liechtenstein:LI
Lima:PE Lithuania:LT Lithuanian:LT Ljubljana:SI Lomé:TG London:GB Luanda:AO Lusaka:ZM
Luxembourg:LU Macao:MO Madagascar:MG Magadan:RU Mahé:SC Malabo:GQ Malawi:MW Malaysia:MY
Maldives:MV Mali:ML Malta:MT Managua:NI Manila:PH Maputo:MZ Maseru:LS Mauritania:MR
Mauritius:MU Mbabane:SZ Mexico:MX Micronesia:FM Minsk:BY Mogadishu:SO Moldova:MD Monaco:MC
Mongolia:MN Mongolian:MN Monrovia:LR Montenegro:ME Montevideo:UY Morocco:MA Moscow:RU
Mozambique:MZ Muscat:OM Nairobi:KE Namibia:NA Nassau:BS Nauru:NR Nepal:NP Netherlands:NL
Niamey:NE Nicaragua:NI Nicosia:CY Niger:NE Nigeria:NG Norway:NO Nouakchott:MR Novokuznetsk:RU
Novosibirsk:RU N’Djamena:TD Oman:OM Omsk:RU Oslo:NO Ouagadougou:BF Pakistan:PK Palau:PW
Panama:PA Paraguay:PY Paramaribo:SR Paris:FR Persian:IR Peru:PE Philippines:PH Podgorica:ME
Poland:PL Polish:PL Portugal:PT Portuguese:PT Prague:CZ Pyongyang:KP Qatar:QA Reykjavik:IS
Riga:LV Riyadh:SA Romania:RO Romanian:RO Rome:IT Russia:RU Russian:RU Rwanda:RW Sakhalin:RU
Samara:RU Samarkand:UZ Samoa:WS Sarajevo:BA Saratov:RU Sark:CQ Senegal:SN Seoul:KR Serbia:RS
Serbian:RS Seychelles:SC Shanghai:CN Simferopol:UA Singapore:SG Skopje:MK Slovak:SK Slovakia:SK
Slovenia:SI Slovenian:SI Sofia:BG Somalia:SO Spain:ES Spanish:ES Srednekolymsk:RU Stockholm:SE
Sudan:SD Suriname:SR Sweden:SE Swedish:SE Switzerland:CH Syria:SY Taipei:TW Taiwan:TW
Tajikistan:TJ Tallinn:EE Tanzania:TZ Tashkent:UZ Tbilisi:GE Tegucigalpa:HN Tehran:IR Thai:TH
Thailand:TH Thimphu:BT Tirana:AL Togo:TG Tokyo:JP Tomsk:RU Tonga:TO Tongatapu:TO Tripoli:LY
Tunis:TN Tunisia:TN Turkish:TR Turkmenistan:TM Tuvalu:TV Türkiye:TR Uganda:UG Ukraine:UA
Ukrainian:UA Ulyanovsk:RU Uruguay:UY Uzbek:UZ Uzbekistan:UZ Vaduz:LI Vanuatu:VU Vatican:VA
Venezuela:VE Vienna:AT Vientiane:LA Vietnam:VN Vietnamese:VN Vilnius:LT Vladivostok:RU
Volgograd:RU Warsaw:PL Windhoek:NA Yakutsk:RU Yangon:MM Yekaterinburg:RU Yemen:YE Yerevan:AM
Zagreb:HR Zambia:ZM Zimbabwe:ZW Zurich:CH Ürümqi:CN
"""),
    "fr": _table("""
Abidjan:CI Accra:GH Achgabat:TM Aden:YE Afghanistan:AF albanais:AL Albanie:AL Alger:DZ
Algérie:DZ Allemagne:DE allemand:DE Amman:JO Amsterdam:NL Anadyr:RU Andorre:AD Angola:AO
Antananarivo:MG Antigua:AG Apia:WS Argentine:AR Arménie:AM arménien:AM Asmara:ER Astrakhan:RU
Asunción:PY Athènes:GR Australie:AU Autriche:AT Azerbaïdjan:AZ azerbaïdjanais:AZ Bagdad:IQ
Bahamas:BS Bahreïn:BH Bakou:AZ Bamako:ML Bangkok:TH Bangladesh:BD Bangui:CF Banjul:GM
Barbade:BB Barnaul:RU Belgique:BE Belgrade:RS Belize:BZ Berlin:DE Beyrouth:LB Bhoutan:BT
Bichkek:KG Bissau:GW biélorusse:BY Biélorussie:BY Blantyre:MW Bogotá:CO Bolivie:BO Botswana:BW
Bougainville:PG Bratislava:SK Brazzaville:CG Brunei:BN Bruxelles:BE Brésil:BR Bucarest:RO
Budapest:HU Bujumbura:BI bulgare:BG Bulgarie:BG Burundi:BI Bénin:BJ Büsingen:DE Calcutta:IN
Cambodge:KH Cameroun:CM Canada:CA Caracas:VE Casablanca:MA Chili:CL Chine:CN chinois:CN
Chișinău:MD Chypre:CY Colombie:CO Colombo:LK Comores:KM Conakry:GN Copenhague:DK coréen:KR
croate:HR Croatie:HR Cuba:CU Dakar:SN Damas:SY Danemark:DK danois:DK Dhaka:BD Dili:TL
Djibouti:DJ Dominique:DM Douala:CM Douchanbé:TJ Dubaï:AE Dublin:IE Ekaterinbourg:RU Erevan:AM
Espagne:ES espagnol:ES Estonie:EE estonien:EE Eswatini:SZ Famagouste:CY Fidji:FJ Finlande:FI
finnois:FI France:FR français:FR Freetown:SL Funafuti:TV Gabon:GA Gaborone:BW Gambie:GM Gaza:PS
Ghana:GH grec:GR Grenade:GD Groenland:GL Grèce:GR Guadalcanal:SB Guatemala:GT Guinée:GN
Guyana:GY Géorgie:GE géorgien:GE Harare:ZW Haïti:HT Helsinki:FI hindi:IN Honduras:HN Hongrie:HU
hongrois:HU hébreu:IL Hébron:PS Iakoutsk:RU Inde:IN Indonésie:ID indonésien:ID Irak:IQ Iran:IR
Irkoutsk:RU Irlande:IE Islande:IS Israël:IL Istanbul:TR Italie:IT italien:IT Jamaïque:JM
Japon:JP japonais:JP Johannesburg:ZA Jordanie:JO Juba:SS Jérusalem:IL Kaboul:AF Kaliningrad:RU
Kampala:UG Kamtchatka:RU Karachi:PK Katmandou:NP kazakh:KZ Kazakhstan:KZ Kenya:KE Khandyga:RU
Khartoum:SD Kiev:UA Kigali:RW Kirghizstan:KG Kiribati:KI Kirov:RU Kosovo:XK Koweït:KW
Krasnoïarsk:RU Kuching:MY Lagos:NG Laos:LA Laâyoune:EH Lesotho:LS letton:LV Lettonie:LV
Liban:LB Liberia:LR Libreville:GA Libye:LY Liechtenstein:LI Lima:PE Lituanie:LT lituanien:LT
Ljubljana:SI Lomé:TG Londres:GB Luanda:AO Lusaka:ZM Luxembourg:LU Macao:MO Madagascar:MG
Magadan:RU Mahé:SC Malabo:GQ Malaisie:MY Malawi:MW Maldives:MV Mali:ML Malte:MT Managua:NI
Manille:PH Maputo:MZ Maroc:MA Mascate:OM Maseru:LS Maurice:MU Mauritanie:MR Mbabane:SZ
Mexique:MX Micronésie:FM Minsk:BY Mogadiscio:SO Moldavie:MD Monaco:MC mongol:MN Mongolie:MN
Monrovia:LR Montevideo:UY Monténégro:ME Moscou:RU Mozambique:MZ Nairobi:KE Namibie:NA Nassau:BS
Nauru:NR Niamey:NE Nicaragua:NI Nicosie:CY Niger:NE Nigeria:NG Norvège:NO Nouakchott:MR
Novokuznetsk:RU Novossibirsk:RU néerlandais:NL Népal:NP N’Djamena:TD Oman:OM Omsk:RU Oslo:NO
Ouagadougou:BF Ouganda:UG Oulianovsk:RU ouzbek:UZ Ouzbékistan:UZ Pakistan:PK Palaos:PW
Panama:PA Paraguay:PY Paramaribo:SR Paris:FR persan:IR Philippines:PH Podgorica:ME Pologne:PL
polonais:PL portugais:PT Portugal:PT Prague:CZ Pyongyang:KP Pérou:PE Qatar:QA Rangoun:MM
Reykjavik:IS Riga:LV Riyad:SA Rome:IT roumain:RO Roumanie:RO russe:RU Russie:RU Rwanda:RW
Sakhaline:RU Salvador:SV Samara:RU Samarcande:UZ Samoa:WS Sarajevo:BA Saratov:RU serbe:RS
Serbie:RS Sercq:CQ Seychelles:SC Shanghai:CN Simferopol:UA Singapour:SG Skopje:MK slovaque:SK
Slovaquie:SK slovène:SI Slovénie:SI Sofia:BG Somalie:SO Soudan:SD Srednekolymsk:RU Stockholm:SE
Suisse:CH Suriname:SR Suède:SE suédois:SE Syrie:SY Sénégal:SN Séoul:KR Tachkent:UZ
Tadjikistan:TJ Taipei:TW Tallinn:EE Tanzanie:TZ Taïwan:TW Tbilissi:GE Tchad:TD Tchita:RU
tchèque:CZ Tchéquie:CZ Tegucigalpa:HN thaï:TH Thaïlande:TH Thimphu:BT Tirana:AL Togo:TG
Tokyo:JP Tomsk:RU Tonga:TO Tongatapu:TO Troll:001 Tunis:TN Tunisie:TN turc:TR Turkménistan:TM
Turquie:TR Tuvalu:TV Téhéran:IR Ukraine:UA ukrainien:UA Uruguay:UY Vaduz:LI Vanuatu:VU
Varsovie:PL Venezuela:VE Vienne:AT Vientiane:LA vietnamien:VN Vilnius:LT Vladivostok:RU
Volgograd:RU Windhoek:NA Yémen:YE Zagreb:HR Zambie:ZM Zimbabwe:ZW Zurich:CH Éfaté:VU Égypte:EG
Équateur:EC Érythrée:ER Éthiopie:ET Ürümqi:CN
"""),
    "ru": _table("""
Абиджан:CI Австралия:AU Австрия:AT Аден:YE Азербайджан:AZ азербайджанский:AZ Аккра:GH
Албания:AL албанский:AL Алжир:DZ Амман:JO Амстердам:NL Анадырь:RU Ангола:AO Андорра:AD
Антананариву:MG Антигуа:AG Апиа:WS Аргентина:AR Армения:AM армянский:AM Асмэра:ER Астрахань:RU
Асунсьон:PY Афганистан:AF Афины:GR Ашхабад:TM Багамы:BS Багдад:IQ Баку:AZ Бамако:ML Банги:CF
Бангкок:TH Бангладеш:BD Банжул:GM Барбадос:BB Барнаул:RU Бахрейн:BH Бейрут:LB Беларусь:BY
Белград:RS Белиз:BZ белорусский:BY Бельгия:BE Бенин:BJ Берлин:DE Бисау:GW Бишкек:KG Блантайр:MW
Богота:CO Болгария:BG болгарский:BG Боливия:BO Ботсвана:BW Браззавиль:CG Бразилия:BR
Братислава:SK Бруней:BN Брюссель:BE Бугенвиль:PG Будапешт:HU Бужумбура:BI Бурунди:BI Бутан:BT
Бухарест:RO Вадуц:LI Вануату:VU Варшава:PL Ватикан:VA Великобритания:GB Вена:AT венгерский:HU
Венгрия:HU Венесуэла:VE Вильнюс:LT Виндхук:NA Владивосток:RU Волгоград:RU Вьентьян:LA
Вьетнам:VN вьетнамский:VN Габон:GA Габороне:BW Гавана:CU Газа:PS Гаити:HT Гайана:GY Гамбия:GM
Гана:GH Гватемала:GT Гвинея:GN Германия:DE Гондурас:HN Гонконг:HK Гренада:GD Гренландия:GL
Греция:GR греческий:GR грузинский:GE Грузия:GE Гуадалканал:SB Дакар:SN Дакка:BD Дамаск:SY
Дания:DK датский:DK Джибути:DJ Джуба:SS Дили:TL Доминика:DM Дуала:CM Дубай:AE Дублин:IE
Душанбе:TJ Египет:EG Екатеринбург:RU Ереван:AM Загреб:HR Замбия:ZM Зимбабве:ZW иврит:IL
Иерусалим:IL Израиль:IL Индия:IN индонезийский:ID Индонезия:ID Иордания:JO Ирак:IQ Иран:IR
Иркутск:RU Ирландия:IE Исландия:IS Испания:ES испанский:ES Италия:IT итальянский:IT Йемен:YE
Йоханнесбург:ZA Кабул:AF казахский:KZ Казахстан:KZ Каир:EG Калининград:RU Калькутта:IN
Камбоджа:KH Камерун:CM Кампала:UG Канада:CA Каракас:VE Карачи:PK Касабланка:MA Катар:QA
Катманду:NP Кения:KE Кигали:RW Киев:UA Кипр:CY Киргизия:KG Кирибати:KI Киров:RU Китай:CN
китайский:CN Кишинев:MD КНДР:KP Коломбо:LK Колумбия:CO Коморы:KM Конакри:GN Копенгаген:DK
корейский:KR Косово:XK Красноярск:RU Куба:CU Кувейт:KW Кучинг:MY Лагос:NG Лаос:LA Латвия:LV
латышский:LV Лесото:LS Либерия:LR Либревиль:GA Ливан:LB Ливия:LY Лима:PE Литва:LT литовский:LT
Лихтенштейн:LI Ломе:TG Лондон:GB Луанда:AO Лусака:ZM Любляна:SI Люксембург:LU Маврикий:MU
Мавритания:MR Магадан:RU Мадагаскар:MG Макао:MO Малабо:GQ Малави:MW Малайзия:MY Мали:ML
Мальдивы:MV Мальта:MT Манагуа:NI Манила:PH Мапуту:MZ Марокко:MA Масеру:LS Маскат:OM Мбабане:SZ
Мексика:MX Минск:BY Могадишо:SO Мозамбик:MZ Молдова:MD Монако:MC Монголия:MN монгольский:MN
Монровия:LR Монтевидео:UY Москва:RU Найроби:KE Намибия:NA Нассау:BS Науру:NR Нджамена:TD
немецкий:DE Непал:NP Ниамей:NE Нигер:NE Нигерия:NG нидерландский:NL Нидерланды:NL Никарагуа:NI
Никосия:CY Новокузнецк:RU Новосибирск:RU Норвегия:NO Нуакшот:MR ОАЭ:AE Оман:OM Омск:RU Осло:NO
Пакистан:PK Палау:PW Панама:PA Парагвай:PY Парамарибо:SR Париж:FR персидский:IR Перу:PE
Пномпень:KH Подгорица:ME польский:PL Польша:PL Португалия:PT португальский:PT Прага:CZ
Пхеньян:KP Рейкьявик:IS Рига:LV Россия:RU Руанда:RW Румыния:RO румынский:RO русский:RU
Сальвадор:SV Самара:RU Самарканд:UZ Самоа:WS Сараево:BA Саратов:RU Сарк:CQ Сенегал:SN Сербия:RS
сербский:RS Сеул:KR Симферополь:UA Сингапур:SG Сирия:SY Скопье:MK Словакия:SK словацкий:SK
Словения:SI словенский:SI Сомали:SO София:BG Среднеколымск:RU Стамбул:TR Стокгольм:SE Судан:SD
Суринам:SR Таджикистан:TJ Таиланд:TH Тайбэй:TW Тайвань:TW тайский:TH Таллин:EE Танзания:TZ
Ташкент:UZ Тбилиси:GE Тегеран:IR Тегусигальпа:HN Тирана:AL Того:TG Токио:JP Томск:RU Тонга:TO
Тонгатапу:TO Триполи:LY Тролль:001 Тувалу:TV Тунис:TN турецкий:TR Туркменистан:TM Турция:TR
Тхимпху:BT Уагадугу:BF Уганда:UG Узбекистан:UZ узбекский:UZ Украина:UA украинский:UA
Ульяновск:RU Уругвай:UY Урумчи:CN Фамагуста:CY Фиджи:FJ Филиппины:PH Финляндия:FI финский:FI
Франция:FR французский:FR Фритаун:SL Фунафути:TV Хандыга:RU Хараре:ZW Хартум:SD Хеврон:PS
Хельсинки:FI хинди:IN Хорватия:HR хорватский:HR Хошимин:VN Цюрих:CH Чад:TD Черногория:ME
Чехия:CZ чешский:CZ Чили:CL Чита:RU Шанхай:CN шведский:SE Швейцария:CH Швеция:SE Эквадор:EC
Эритрея:ER Эсватини:SZ Эстония:EE эстонский:EE Эфате:VU Эфиопия:ET Якутск:RU Ямайка:JM Янгон:MM
Япония:JP японский:JP
"""),
    "uk": _table("""
Абіджан:CI Австралія:AU Австрія:AT Аден:YE Азербайджан:AZ азербайджанська:AZ Аккра:GH
албанська:AL Албанія:AL Алжир:DZ Амман:JO Амстердам:NL Анадир:RU Ангола:AO Андорра:AD
Антананаріву:MG Антиґуа:AG Апіа:WS Аргентина:AR Асмера:ER Астрахань:RU Асунсьйон:PY
Афганістан:AF Афіни:GR Ашгабат:TM Багдад:IQ Баку:AZ Бамако:ML Бангкок:TH Бангладеш:BD Банжул:GM
Банґі:CF Барбадос:BB Барнаул:RU Бахрейн:BH Бейрут:LB Белград:RS Бельгія:BE Беліз:BZ Бенін:BJ
Берлін:DE Блантайр:MW болгарська:BG Болгарія:BG Болівія:BO Ботсвана:BW Боґота:CO Браззавіль:CG
Бразилія:BR Братислава:SK Бруней:BN Брюссель:BE Будапешт:HU Бужумбура:BI Бурунді:BI Бутан:BT
Бухарест:RO Буґенвіль:PG Бюзінген:DE Білорусь:BY білоруська:BY Бісау:GW Бішкек:KG Вʼєнтьян:LA
Вʼєтнам:VN вʼєтнамська:VN Вадуц:LI Вануату:VU Варшава:PL Ватикан:VA Венесуела:VE Владивосток:RU
Волгоград:RU Відень:AT Вільнюс:LT Віндгук:NA вірменська:AM Вірменія:AM Габон:GA Гавана:CU
Газа:PS Гамбія:GM Гана:GH Гаяна:GY Гаїті:HT Гватемала:GT Гвінея:GN Гельсінкі:FI Гондурас:HN
Гонконг:HK Гренада:GD Гренландія:GL грецька:GR Греція:GR грузинська:GE Грузія:GE Гуадалканал:SB
гінді:IN Дакар:SN Дакка:BD Дамаск:SY данська:DK Данія:DK Джибуті:DJ Джуба:SS Джібуті:DJ
Домініка:DM Дуала:CM Дубай:AE Дублін:IE Душанбе:TJ Ділі:TL Еквадор:EC Еритрея:ER Есватіні:SZ
естонська:EE Естонія:EE Ефате:VU Ефіопія:ET Загреб:HR Замбія:ZM Зімбабве:ZW Йоганнесбурґ:ZA
Йорданія:JO Кабул:AF Казахстан:KZ казахська:KZ Калінінград:RU Камбоджа:KH Камерун:CM Кампала:UG
Камчатка:RU Канада:CA Каракас:VE Карачі:PK Касабланка:MA Катар:QA Катманду:NP Каїр:EG Кенія:KE
Киргизстан:KG Китай:CN китайська:CN Кишинів:MD Київ:UA Колката:IN Коломбо:LK Колумбія:CO
Комори:KM Конакрі:GN Копенгаген:DK корейська:KR Косово:XK Красноярськ:RU Куба:CU Кувейт:KW
Кучинг:MY Кігалі:RW Кіпр:CY Кірибаті:KI Кіров:RU Лаос:LA Латвія:LV латиська:LV Лаґос:NG
Лесото:LS Литва:LT литовська:LT Ломе:TG Лондон:GB Луанда:AO Лусака:ZM Любляна:SI Люксембург:LU
Ліберія:LR Лібревіль:GA Ліван:LB Лівія:LY Ліма:PE Ліхтенштейн:LI Маврикій:MU Мавританія:MR
Магадан:RU Мадагаскар:MG Макао:MO Малабо:GQ Малаві:MW Малайзія:MY Мальдіви:MV Мальта:MT Малі:ML
Манаґуа:NI Маніла:PH Мапуту:MZ Марокко:MA Масеру:LS Маскат:OM Махе:SC Мбабане:SZ Мексика:MX
Мозамбік:MZ Молдова:MD Монако:MC монгольська:MN Монголія:MN Монровія:LR Монтевідео:UY Москва:RU
Моґадішо:SO Мікронезія:FM Мінськ:BY Найробі:KE Намібія:NA Насау:BS Науру:NR Нджамена:TD
Непал:NP Новокузнецьк:RU Новосибірськ:RU Норвегія:NO Нуакшотт:MR Ніамей:NE Нігер:NE Нігерія:NG
Нідерланди:NL нідерландська:NL Нікарагуа:NI Нікосія:CY німецька:DE Німеччина:DE Оман:OM
Омськ:RU Осло:NO Пакистан:PK Палау:PW Панама:PA Парагвай:PY Парамарибо:SR Париж:FR перська:IR
Перу:PE Пномпень:KH Подгориця:ME польська:PL Польща:PL португальська:PT Португалія:PT Прага:CZ
Пхеньян:KP Рейкʼявік:IS Рига:LV російська:RU Росія:RU Руанда:RW румунська:RO Румунія:RO
Сальвадор:SV Самара:RU Самарканд:UZ Самоа:WS Саратов:RU Сараєво:BA Сарк:CQ Сахалін:RU
Сенегал:SN сербська:RS Сербія:RS Середньоколимськ:RU Сеул:KR Сирія:SY Скопʼє:MK словацька:SK
Словаччина:SK словенська:SI Словенія:SI Сомалі:SO Софія:BG Стамбул:TR Стокгольм:SE Судан:SD
Суринам:SR Сімферополь:UA Сінгапур:SG Таджикистан:TJ Тайбей:TW Тайвань:TW тайська:TH Таллінн:EE
Танзанія:TZ Ташкент:UZ Таїланд:TH Тбілісі:GE Тегеран:IR Теґусіґальпа:HN Тирана:AL Того:TG
Токіо:JP Томськ:RU Тонга:TO Тонгатапу:TO Триполі:LY Тролл:001 Тувалу:TV Туніс:TN турецька:TR
Туреччина:TR Туркменістан:TM Тхімпху:BT Уаґадуґу:BF Уганда:UG угорська:HU Угорщина:HU
Узбекистан:UZ узбецька:UZ Україна:UA українська:UA Ульянівськ:RU Уругвай:UY Урумчі:CN
Фамагуста:CY французька:FR Франція:FR Фрітаун:SL Фунафуті:TV Фіджі:FJ Філіппіни:PH Фінляндія:FI
фінська:FI Хандига:RU Хараре:ZW Хартум:SD Хеврон:PS хорватська:HR Хорватія:HR Хошимін:VN
Цюріх:CH Чад:TD чеська:CZ Чехія:CZ Чилі:CL Чита:RU Чорногорія:ME Шанхай:CN шведська:SE
Швейцарія:CH Швеція:SE Якутськ:RU Ямайка:JM Янгон:MM японська:JP Японія:JP Єгипет:EG
Єкатеринбург:RU Ємен:YE Єреван:AM Єрусалим:IL іврит:IL Ізраїль:IL індонезійська:ID Індонезія:ID
Індія:IN Ірак:IQ Іран:IR Іркутськ:RU Ірландія:IE Ісландія:IS іспанська:ES Іспанія:ES
італійська:IT Італія:IT Ґабороне:BW Ґайана:GY Ґватемала:GT Ґренада:GD
"""),
})

ADDED = MappingProxyType({
    "en": _table("""
America:US American:US Americans:US US:US USA:US Washington:US Pentagon:US Britain:GB
British:GB UK:GB London:GB Iranian:IR Israeli:IL Israelis:IL Syrian:SY Iraqi:IQ Afghan:AF
Palestinian:PS Palestinians:PS Gaza:PS Saudi:SA Indian:IN Pakistani:PK Egyptian:EG Libyan:LY
Lebanese:LB Yemeni:YE Qatari:QA Emirati:AE Canadian:CA Mexican:MX Brazilian:BR Venezuelan:VE
Cuban:CU Australian:AU Nigerian:NG Sudanese:SD Somali:SO Ethiopian:ET Kenyan:KE Malian:ML
Senegalese:SN Taiwanese:TW Filipino:PH Malaysian:MY Burmese:MM Moldovan:MD Belgian:BE
Austrian:AT Swiss:CH Dutch:NL Irish:IE Scottish:GB Kosovar:XK Kremlin:RU Crimea:UA Donbas:UA
Donbass:UA Kyiv:UA Kharkiv:UA Odesa:UA Lviv:UA Mariupol:UA Bakhmut:UA Zaporizhzhia:UA
Kherson:UA Beijing:CN Tehran:IR Jerusalem:IL Hiroshima:JP Seoul:KR Pyongyang:KP Canberra:AU
Ottawa:CA Brasilia:BR Sydney:AU Toronto:CA Chicago:US Aust:AU Aussie:AU
Aleppo:SY Homs:SY Idlib:SY Raqqa:SY Mosul:IQ Fallujah:IQ Basra:IQ Kandahar:AF Helmand:AF
Ankara:TR Izmir:TR Donetsk:UA Luhansk:UA Avdiivka:UA Sochi:RU Belgorod:RU Kursk:RU Rafah:PS
Benghazi:LY Karachi:PK Lahore:PK Mumbai:IN Bangalore:IN Montreal:CA Regina:CA Vancouver:CA
Texas:US Florida:US California:US Indiana:US Ohio:US Iowa:US Virginia:US Arizona:US Nevada:US
Michigan:US Wisconsin:US Pennsylvania:US Alabama:US Louisiana:US Oklahoma:US Kansas:US
Nebraska:US Minnesota:US Colorado:US Utah:US Oregon:US Kentucky:US Tennessee:US Missouri:US
Arkansas:US Massachusetts:US Maryland:US Alaska:US Hawaii:US Boston:US Houston:US Dallas:US
Seattle:US Atlanta:US Miami:US
"""),
    "de": _table("""
Amerika:US amerikanisch:US Amerikaner:US USA:US US:US Washington:US Pentagon:US
Großbritannien:GB britisch:GB Briten:GB London:GB iranisch:IR Iraner:IR israelisch:IL
Israelis:IL syrisch:SY Syrer:SY irakisch:IQ afghanisch:AF palästinensisch:PS
Palästinenser:PS Gaza:PS Gazastreifen:PS Westjordanland:PS saudisch:SA indisch:IN
pakistanisch:PK ägyptisch:EG libysch:LY libanesisch:LB jemenitisch:YE kanadisch:CA
mexikanisch:MX australisch:AU taiwanisch:TW Nordkorea:KP nordkoreanisch:KP Südkorea:KR
südkoreanisch:KR österreichisch:AT schweizerisch:CH belgisch:BE niederländisch:NL Kreml:RU
Krim:UA Donbass:UA Kiew:UA Charkiw:UA Odessa:UA Lwiw:UA Mariupol:UA Bachmut:UA
Saporischschja:UA Cherson:UA Peking:CN Teheran:IR Jerusalem:IL Hiroshima:JP Russen:RU
Ukrainer:UA Chinesen:CN Türken:TR Seoul:KR Pjöngjang:KP
Aleppo:SY Homs:SY Idlib:SY Rakka:SY Mossul:IQ Falludscha:IQ Basra:IQ Kandahar:AF Helmand:AF
Ankara:TR Izmir:TR Donezk:UA Luhansk:UA Awdijiwka:UA Sotschi:RU Belgorod:RU Kursk:RU Rafah:PS
Bengasi:LY Karatschi:PK Lahore:PK Mumbai:IN Bangalore:IN Montreal:CA Regina:CA Texas:US
Florida:US Kalifornien:US Indiana:US Ohio:US Iowa:US Virginia:US Arizona:US Nevada:US
Michigan:US Wisconsin:US Pennsylvania:US Alabama:US Louisiana:US Oklahoma:US Kansas:US
Minnesota:US Colorado:US Utah:US Oregon:US Kentucky:US Tennessee:US Missouri:US Alaska:US
Hawaii:US Boston:US Houston:US Seattle:US Miami:US Hamburg:DE München:DE Köln:DE Frankfurt:DE
Dresden:DE Leipzig:DE Stuttgart:DE
"""),
    "fr": _table("""
Amérique:US américain:US USA:US Washington:US britannique:GB Londres:GB iranien:IR
israélien:IL syrien:SY irakien:IQ afghan:AF palestinien:PS Gaza:PS Kremlin:RU Crimée:UA
Kiev:UA Pékin:CN Téhéran:IR Jérusalem:IL
Alep:SY Homs:SY Idleb:SY Mossoul:IQ Ankara:TR Donetsk:UA Louhansk:UA Rafah:PS Benghazi:LY
Montréal:CA Texas:US Floride:US Californie:US Marseille:FR Lyon:FR Toulouse:FR Lille:FR
Bordeaux:FR Strasbourg:FR
"""),
    "ru": _table("""
США:US американский:US Вашингтон:US британский:GB Лондон:GB иранский:IR израильский:IL
сирийский:SY Газа:PS Кремль:RU Крым:UA Киев:UA Пекин:CN Тегеран:IR российский:RU
Алеппо:SY Мосул:IQ Анкара:TR Донецк:UA Луганск:UA Авдеевка:UA Сочи:RU Белгород:RU Курск:RU
Петербург:RU Новосибирск:RU Казань:RU Техас:US Флорида:US Калифорния:US
"""),
    "uk": _table("""
США:US американський:US Вашингтон:US британський:GB Лондон:GB Кремль:RU Крим:UA Київ:UA
Газа:PS Пекін:CN Тегеран:IR російський:RU
Алеппо:SY Анкара:TR Донецьк:UA Луганськ:UA Авдіївка:UA Харків:UA Одеса:UA Львів:UA Дніпро:UA
Запоріжжя:UA Херсон:UA Сочі:RU Бєлгород:RU Курськ:RU
"""),
})
