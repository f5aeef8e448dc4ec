"""Names below the country (cities, regions, states): two titles naming different ones
report different places ("fighting in Aleppo" / "fighting in Damascus"), while a city and its
country agree (:mod:`.places` maps each to its country).

:data:`CITIES_GENERATED`: the one-word CLDR time zone cities of ``places.GENERATED`` that are
not also a territory's name (babel 2.19, the zone loop of :mod:`.places` minus
``Locale(lang).territories``). :data:`CITIES_ADDED`: the cities, regions and states of
``places.ADDED``. Names are written naturally and run through the tokenizer on load.
"""

from __future__ import annotations

from types import MappingProxyType


def _names(rows: str) -> frozenset[str]:
    """Whitespace-separated names."""
    return frozenset(rows.split())


CITIES_GENERATED = MappingProxyType({
    "de": _names("""
Abidjan Accra Aden Algier Amman Amsterdam Anadyr Antananarivo Antigua Apia Asmara Astrachan
Asunción Athen Aşgabat Bagdad Baku Bamako Bangkok Bangui Banjul Barnaul Beirut Belgrad Berlin
Bischkek Bissau Blantyre Bogotá Bougainville Bratislava Brazzaville Brüssel Budapest Bujumbura
Bukarest Büsingen Caracas Casablanca Chandyga Chișinău Colombo Conakry Dakar Damaskus
Daressalam Dhaka Dili Douala Dubai Dublin Duschanbe Efate Eriwan Famagusta Freetown Funafuti
Gaborone Gaza Guadalcanal Harare Havanna Hebron Helsinki Hongkong Irkutsk Istanbul Jakutsk
Jekaterinburg Jerusalem Johannesburg Juba Kabul Kairo Kaliningrad Kalkutta Kampala Kamtschatka
Karatschi Kathmandu Khartum Kiew Kigali Kirow Kopenhagen Krasnojarsk Kuching Lagos Libreville
Lima Ljubljana Lomé London Luanda Lusaka Macau Magadan Mahé Malabo Managua Manila Maputo Maseru
Maskat Mbabane Minsk Mogadischu Monrovia Montevideo Moskau Nairobi Nassau Niamey Nikosia
Nouakchott Nowokuznetsk Nowosibirsk N’Djamena Omsk Oslo Ouagadougou Paramaribo Paris Pjöngjang
Podgorica Prag Rangun Reyk­ja­vík Riad Riga Sachalin Samara Samarkand Sarajevo Saratow Seoul
Shanghai Simferopol Skopje Sofia Srednekolymsk Stockholm Taipeh Tallinn Taschkent Tegucigalpa
Teheran Thimphu Tiflis Tirana Tokio Tomsk Tongatapu Tripolis Troll Tschita Tunis Uljanowsk
Vaduz Vatikan Vientiane Vilnius Warschau Wien Windhoek Wladiwostok Wolgograd Zagreb Zürich
Ürümqi
"""),
    "en": _names("""
Abidjan Accra Aden Algiers Amman Amsterdam Anadyr Antananarivo Antigua Apia Ashgabat Asmara
Astrakhan Asunción Athens Baghdad Baku Bamako Bangkok Bangui Banjul Barnaul Beirut Belgrade
Berlin Bishkek Bissau Blantyre Bogotá Bougainville Bratislava Brazzaville Brussels Bucharest
Budapest Bujumbura Büsingen Cairo Caracas Casablanca Chita Chișinău Colombo Conakry Copenhagen
Dakar Damascus Dhaka Dili Douala Dubai Dublin Dushanbe Efate Famagusta Freetown Funafuti
Gaborone Gaza Guadalcanal Harare Havana Hebron Helsinki Irkutsk Istanbul Jerusalem Johannesburg
Juba Kabul Kaliningrad Kamchatka Kampala Karachi Kathmandu Khandyga Khartoum Kigali Kirov
Kolkata Krasnoyarsk Kuching Kyiv Lagos Libreville Lima Ljubljana Lomé London Luanda Lusaka
Macao Magadan Mahé Malabo Managua Manila Maputo Maseru Mbabane Minsk Mogadishu Monrovia
Montevideo Moscow Muscat Nairobi Nassau Niamey Nicosia Nouakchott Novokuznetsk Novosibirsk
N’Djamena Omsk Oslo Ouagadougou Paramaribo Paris Podgorica Prague Pyongyang Reykjavik Riga
Riyadh Rome Sakhalin Samara Samarkand Sarajevo Saratov Seoul Shanghai Simferopol Skopje Sofia
Srednekolymsk Stockholm Taipei Tallinn Tashkent Tbilisi Tegucigalpa Tehran Thimphu Tirana Tokyo
Tomsk Tongatapu Tripoli Tunis Ulyanovsk Vaduz Vatican Vienna Vientiane Vilnius Vladivostok
Volgograd Warsaw Windhoek Yakutsk Yangon Yekaterinburg Yerevan Zagreb Zurich Ürümqi
"""),
    "fr": _names("""
Abidjan Accra Achgabat Aden Alger Amman Amsterdam Anadyr Antananarivo Antigua Apia Asmara
Astrakhan Asunción Athènes Bagdad Bakou Bamako Bangkok Bangui Banjul Barnaul Belgrade Berlin
Beyrouth Bichkek Bissau Blantyre Bogotá Bougainville Bratislava Brazzaville Bruxelles Bucarest
Budapest Bujumbura Büsingen Calcutta Caracas Casablanca Chișinău Colombo Conakry Copenhague
Dakar Damas Dhaka Dili Douala Douchanbé Dubaï Dublin Ekaterinbourg Erevan Famagouste Freetown
Funafuti Gaborone Gaza Guadalcanal Harare Helsinki Hébron Iakoutsk Irkoutsk Istanbul
Johannesburg Juba Jérusalem Kaboul Kaliningrad Kampala Kamtchatka Karachi Katmandou Khandyga
Khartoum Kiev Kigali Kirov Krasnoïarsk Kuching Lagos Laâyoune Libreville Lima Ljubljana Lomé
Londres Luanda Lusaka Macao Magadan Mahé Malabo Managua Manille Maputo Mascate Maseru Mbabane
Minsk Mogadiscio Monrovia Montevideo Moscou Nairobi Nassau Niamey Nicosie Nouakchott
Novokuznetsk Novossibirsk N’Djamena Omsk Oslo Ouagadougou Oulianovsk Paramaribo Paris Podgorica
Prague Pyongyang Rangoun Reykjavik Riga Riyad Rome Sakhaline Samara Samarcande Sarajevo Saratov
Shanghai Simferopol Skopje Sofia Srednekolymsk Stockholm Séoul Tachkent Taipei Tallinn Tbilissi
Tchita Tegucigalpa Thimphu Tirana Tokyo Tomsk Tongatapu Troll Tunis Téhéran Vaduz Varsovie
Vienne Vientiane Vilnius Vladivostok Volgograd Windhoek Zagreb Zurich Éfaté Ürümqi
"""),
    "ru": _names("""
Абиджан Аден Аккра Амман Амстердам Анадырь Антананариву Антигуа Апиа Асмэра Астрахань Асунсьон
Афины Ашхабад Багдад Баку Бамако Банги Бангкок Банжул Барнаул Бейрут Белград Берлин Бисау
Бишкек Блантайр Богота Браззавиль Братислава Брюссель Бугенвиль Будапешт Бужумбура Бухарест
Вадуц Варшава Вена Вильнюс Виндхук Владивосток Волгоград Вьентьян Габороне Гавана Газа Гонконг
Гуадалканал Дакар Дакка Дамаск Джуба Дили Дуала Дубай Дублин Душанбе Екатеринбург Ереван Загреб
Иерусалим Иркутск Йоханнесбург Кабул Каир Калининград Калькутта Кампала Каракас Карачи
Касабланка Катманду Кигали Киев Киров Кишинев Коломбо Конакри Копенгаген Красноярск Кучинг
Лагос Либревиль Лима Ломе Лондон Луанда Лусака Любляна Магадан Макао Малабо Манагуа Манила
Мапуту Масеру Маскат Мбабане Минск Могадишо Монровия Монтевидео Москва Найроби Нассау Нджамена
Ниамей Никосия Новокузнецк Новосибирск Нуакшот Омск Осло Парамарибо Париж Пномпень Подгорица
Прага Пхеньян Рейкьявик Рига Самара Самарканд Сараево Саратов Сеул Симферополь Скопье София
Среднеколымск Стамбул Стокгольм Тайбэй Таллин Ташкент Тбилиси Тегеран Тегусигальпа Тирана Токио
Томск Тонгатапу Триполи Тролль Тхимпху Уагадугу Ульяновск Урумчи Фамагуста Фритаун Фунафути
Хандыга Хараре Хартум Хеврон Хельсинки Хошимин Цюрих Чита Шанхай Эфате Якутск Янгон
"""),
    "uk": _names("""
Єкатеринбург Єреван Єрусалим Іркутськ Абіджан Аден Аккра Амман Амстердам Анадир Антананаріву
Антиґуа Апіа Асмера Астрахань Асунсьйон Афіни Ашгабат Багдад Баку Бамако Бангкок Банжул Банґі
Барнаул Бейрут Белград Берлін Блантайр Боґота Браззавіль Братислава Брюссель Будапешт Бужумбура
Бухарест Буґенвіль Бюзінген Бісау Бішкек Вʼєнтьян Вадуц Варшава Владивосток Волгоград Відень
Вільнюс Віндгук Гавана Газа Гельсінкі Гонконг Гуадалканал Дакар Дакка Дамаск Джуба Джібуті
Дуала Дубай Дублін Душанбе Ділі Ефате Загреб Йоганнесбурґ Кабул Калінінград Кампала Камчатка
Каракас Карачі Касабланка Катманду Каїр Кишинів Київ Колката Коломбо Конакрі Копенгаген
Красноярськ Кучинг Кігалі Кіров Лаґос Ломе Лондон Луанда Лусака Любляна Лібревіль Ліма Магадан
Макао Малабо Манаґуа Маніла Мапуту Масеру Маскат Махе Мбабане Монровія Монтевідео Москва
Моґадішо Мінськ Найробі Насау Нджамена Новокузнецьк Новосибірськ Нуакшотт Ніамей Нікосія Омськ
Осло Парамарибо Париж Пномпень Подгориця Прага Пхеньян Рейкʼявік Рига Самара Самарканд Саратов
Сараєво Сахалін Середньоколимськ Сеул Скопʼє Софія Стамбул Стокгольм Сімферополь Тайбей Таллінн
Ташкент Тбілісі Тегеран Теґусіґальпа Тирана Токіо Томськ Тонгатапу Триполі Тролл Тхімпху
Уаґадуґу Ульянівськ Урумчі Фамагуста Фрітаун Фунафуті Хандига Хараре Хартум Хеврон Хошимін
Цюріх Чита Шанхай Якутськ Янгон Ґабороне Ґайана Ґватемала Ґренада
"""),
})

CITIES_ADDED = MappingProxyType({
    "en": _names("""
London Washington Gaza Crimea Kyiv Kharkiv Odesa Lviv Mariupol Bakhmut
Zaporizhzhia Kherson Beijing Tehran Jerusalem Hiroshima Seoul Pyongyang Canberra Ottawa
Brasilia Sydney Toronto Chicago Aleppo Homs Idlib Raqqa Mosul Fallujah Basra Kandahar Helmand
Ankara Izmir Donetsk Luhansk Avdiivka Sochi Belgorod Kursk Rafah Benghazi Karachi Lahore Mumbai
Bangalore Montreal Regina Vancouver Texas Florida California Indiana Ohio Iowa Virginia Arizona
Nevada Michigan Wisconsin Pennsylvania Alabama Louisiana Oklahoma Kansas Nebraska Minnesota
Colorado Utah Oregon Kentucky Tennessee Missouri Arkansas Massachusetts Maryland Alaska Hawaii
Boston Houston Dallas Seattle Atlanta Miami
"""),
    "de": _names("""
Washington London Gaza Gazastreifen Westjordanland Krim Kiew Charkiw Odessa Lwiw
Mariupol Bachmut Saporischschja Cherson Peking Teheran Jerusalem Hiroshima Seoul Pjöngjang
Aleppo Homs Idlib Rakka Mossul Falludscha Basra Kandahar Helmand Ankara Izmir Donezk Luhansk
Awdijiwka Sotschi Belgorod Kursk Rafah Bengasi Karatschi Lahore Mumbai Bangalore Montreal
Regina Texas Florida Kalifornien Indiana Ohio Iowa Virginia Arizona Nevada Michigan Wisconsin
Pennsylvania Alabama Louisiana Oklahoma Kansas Minnesota Colorado Utah Oregon Kentucky
Tennessee Missouri Alaska Hawaii Boston Houston Seattle Miami Hamburg München Köln Frankfurt
Dresden Leipzig Stuttgart
"""),
    "fr": _names("""
Washington Londres Gaza Crimée Kiev Pékin Téhéran Jérusalem Alep Homs Idleb Mossoul Ankara
Donetsk Louhansk Rafah Benghazi Montréal Texas Floride Californie Marseille Lyon Toulouse Lille
Bordeaux Strasbourg
"""),
    "ru": _names("""
Вашингтон Лондон Газа Крым Киев Пекин Тегеран Алеппо Мосул Анкара Донецк Луганск Авдеевка Сочи
Белгород Курск Петербург Новосибирск Казань Техас Флорида Калифорния
"""),
    "uk": _names("""
Вашингтон Лондон Крим Київ Газа Пекін Тегеран Алеппо Анкара Донецьк Луганськ Авдіївка Харків
Одеса Львів Дніпро Запоріжжя Херсон Сочі Бєлгород Курськ
"""),
})
