"""Stop words per language (ISO 639-1), after the Snowball project's lists (BSD licence).

Changes from Snowball's lists, for matching headlines:

* negations stay words ("nicht", "not", "pas", "не"): "X not guilty" and "X guilty" differ;
* number words stay words ("один", "два"): numbers discriminate stories;
* a few headline fillers are added ("says", "laut", "selon"): they vary between outlets'
  renderings of one story without changing it.
"""

from __future__ import annotations

from types import MappingProxyType


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())

EN = _words("""
a about above after us again against all am an and any are as at be because been before being
below between both but by could did do does doing during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself nor of on once only or other ought our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until very was we were what when where which while who whom why with would
you your yours yourself yourselves can will may might must shall also i'm you're he's she's
it's we're they're i've you've we've they've i'd you'd he'd she'd we'd they'd i'll you'll he'll
she'll we'll they'll let's that's who's what's here's there's says said say amid via reportedly
""")

DE = _words("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anderm andern anders auch auf aus bei bin bis bist da damit dann der den des dem die das dass
daß derselbe derselben denselben desselben demselben dieselbe dieselben dasselbe dazu dein
deine deinem deinen deiner deines denn derer dessen dich dir du dies diese diesem diesen dieser
dieses doch dort durch ein eine einem einen einer eines einig einige einigem einigen einiger
einiges einmal er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen hab habe
haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres euch im in
indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann können
könnte machen man manche manchem manchen mancher manches mein meine meinem meinen meiner meines
mit muss musste nach noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seines
selbst sich sie ihnen sind so solche solchem solchen solcher solches soll sollte sondern sonst
über um und uns unsere unserem unseren unser unseres unter viel vom von vor während war waren
warst was weg weil weiter welche welchem welchen welcher welches wenn werde werden wie wieder
will wir wird wirst wo wollen wollte würde würden zu zum zur zwar zwischen wurde wurden seit
beim sagt sagte laut wegen
""")

FR = _words("""
au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes moi
mon nos notre nous on ou par pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos
votre vous c d j l à m n s t y été étée étées étés étant suis es est sommes êtes sont serai
seras sera serons serez seront serais serait serions seriez seraient étais était étions étiez
étaient fus fut fûmes fûtes furent sois soit soyons soyez soient fusse fusses fût fussions
fussiez fussent ayant eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront
aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eûmes eûtes eurent
aie aies ait ayons ayez aient eusse eusses eût eussions eussiez eussent ceci cela celà cet
cette ici ils les leurs quel quels quelle quelles sans soi selon après avant contre entre
""")

RU = _words("""
и в во что он на я с со как а то все она так его но да ты к у же вы за бы по только ее её мне
было вот от меня еще ещё о из ему теперь когда даже ну вдруг ли если уже или быть был него до
вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы
тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому
этого какой совсем ним здесь этом почти мой тем чтобы нее сейчас были куда зачем всех никогда
можно при наконец об другой хоть после над больше тот через эти нас про всего них какая много
разве эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда
конечно всю между заявил заявила
""")

UK = _words("""
і й та але а або в у на з із зі до від по за під над про для без через при між біля о об що як
це ця ці цей те той ті його її їх він вона воно вони ми ви я ти мене мені нам вам їм їй йому
себе свій своя своє свої наш наша наше наші ваш бо якщо коли де чи ж же би б вже ще також
тільки лише навіть є був була було були буде будуть бути може можна дуже так теж там тут тоді
який яка яке які котрий щоб аби хоча після перед поки заявив заявила
""")

# In this order a title of unknown language is guessed (ties go to the first).
BY_LANGUAGE = MappingProxyType({"de": DE, "en": EN, "fr": FR, "ru": RU, "uk": UK})

#: Stop words in one language that are content words in another ("war", "die", "gift"): when
#: the language is unknown, the union of all lists is used without these.
AMBIGUOUS = _words("""
war die will also kind rat gift arm bald hat was
""")
