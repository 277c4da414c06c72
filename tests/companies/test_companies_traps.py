"""The detection table: false friends that must not name a company, and real mentions that must.

Each row: text, companies it must name, companies it must not name. Sentences are ours, FR and EN.
"""

import pytest

from companies_cases import case, check_text

TRAPS = [
    # Claude: a first name, a painter, a composer.
    case("Claude, mon voisin, repeint sa clôture tous les printemps.", must_not="anthropic"),
    case("Jean-Claude a présenté son nouveau modèle de tondeuse au comice.", must_not="anthropic",
         note="a cue word (modèle) does not rescue a hyphenated first name"),
    case("Claude Monet a peint les Nymphéas à Giverny.", must_not="anthropic"),
    case("L'exposition Claude Monet propose un assistant audio aux visiteurs.", must_not="anthropic",
         note="cue word nearby, but 'Claude Monet' is a person"),
    case("Claude Debussy composed La Mer in 1905.", must_not="anthropic"),
    case("My uncle Claude never trusted computers.", must_not="anthropic"),
    case("Claude, l'assistant parlementaire du député, a démissionné.", must_not="anthropic",
         note="'assistant' is a cue, but here a job held by a person"),
    case("Claude, mon voisin, repeint sa clôture. Son modèle de tondeuse est neuf.", must_not="anthropic",
         note="a cue in the next sentence does not count"),
    # Mistral: the wind, the poet, the warship.
    case("Le mistral souffle à 90 km/h dans la vallée du Rhône.", must_not="mistral-ai"),
    case("Le Mistral souffle depuis trois jours sur Marseille.", must_not="mistral-ai"),
    case("Les rafales du vent Mistral ont renversé les parasols.", must_not="mistral-ai"),
    case("Frédéric Mistral a reçu le prix Nobel de littérature en 1904.", must_not="mistral-ai"),
    case("Le porte-hélicoptères Mistral a quitté Toulon ce matin.", must_not="mistral-ai"),
    case("The Mistral wind brings cold, dry air down the Rhône valley.", must_not="mistral-ai"),
    # Llama: the animal.
    case("Au zoo, le lama a craché sur un visiteur.", must_not="meta"),
    case("A llama can carry a quarter of its body weight.", must_not="meta"),
    case("Llamas are social animals from the Andes.", must_not="meta"),
    case("Le Llama du parc animalier a eu un petit.", must_not="meta"),
    case("Llama farming is popular in Peru.", must_not="meta"),
    # Apple: the fruit, New York.
    case("Apple pie is best served warm.", must_not="apple"),
    case("She ate an apple before the meeting.", must_not="apple"),
    case("Une tarte aux pommes, ou apple pie, est au menu.", must_not="apple"),
    case("New York is often called the Big Apple.", must_not="apple"),
    case("Apple trees blossom in April in Normandy.", must_not="apple"),
    case("Apple, banana and pear prices rose this summer.", must_not="apple",
         note="a fruit among fruits, opening the sentence"),
    case("The Apple That Fell Far From the Tree", must_not="apple", note="title case, after 'The'"),
    # Gemini: the star sign, the NASA programme; Gémeaux is never Google.
    case("Born under Gemini, she reads her horoscope every morning.", must_not="google"),
    case("Les Gémeaux sont un signe d'air, selon l'astrologie.", must_not="google"),
    case("Gemini 4 was the second crewed flight of NASA's Project Gemini.", must_not="google"),
    # Meta: metadata, meta-analysis.
    case("Les métadonnées de la photo révèlent le lieu de la prise de vue.", must_not="meta"),
    case("Meta-analysis of 40 trials found no effect.", must_not="meta"),
    case("A meta-analysis published in The Lancet confirms the effect.", must_not="meta"),
    case("La méta-analyse confirme l'effet du traitement.", must_not="meta"),
    case("Meta analysis of the data shows a clear trend.", must_not="meta"),
    # X as a letter or a network, XAI as explainable AI.
    case("Le rayon X a révélé une fracture du poignet.", must_not="xai"),
    case("An X-ray of the chest showed nothing unusual.", must_not="xai"),
    case("Plot the values on the X axis.", must_not="xai"),
    case("XAI, or explainable AI, helps auditors understand a model's decisions.", must_not="xai"),
    case("Les méthodes de XAI (IA explicable) gagnent du terrain.", must_not="xai"),
    case("Elon Musk a publié une vidéo sur X dimanche.", must_not="xai", note="X the network is not xAI"),
    # Amazon: the forest and the river.
    case("The Amazon rainforest lost an area the size of Belgium.", must_not="amazon"),
    case("L'Amazonie brûle chaque été un peu plus.", must_not="amazon"),
    case("The Amazon river carries a fifth of the world's fresh water.", must_not="amazon"),
    case("Deforestation in the Amazon reached a record in August.", must_not="amazon"),
    case("Les Amazones de la mythologie grecque étaient des guerrières.", must_not="amazon"),
    # First names and ordinary words that are also products.
    case("Alexa, ma collègue, a repris le dossier lundi.", must_not="amazon"),
    case("Alexa Chung launched a fashion line in London.", must_not="amazon"),
    case("Copilot Jane Smith landed the aircraft safely.", must_not="microsoft"),
    case("The copilot took over when the captain fell ill.", must_not="microsoft"),
    case("It takes a while to grok a new codebase.", must_not="xai"),
    case("The Bard of Avon wrote 37 plays.", must_not="google"),
    case("Siri Hustvedt a publié un nouveau roman.", must_not="apple"),
    case("Bing Crosby sang White Christmas.", must_not="microsoft"),
    case("Azure waters lapped the shore of the island.", must_not="microsoft"),
    case("Anthropic principle arguments remain contested among cosmologists.", must_not="anthropic"),
    case("Le Chat botté est un conte de Perrault.", must_not="mistral-ai"),
    case("Sora est partie en vacances au Japon.", must_not="openai"),
    case("Elizabeth Blackwell was the first woman to earn a medical degree in the US.", must_not="nvidia"),
    case("Grace Hopper popularised the word debugging.", must_not="nvidia"),
    case("Edward Hopper painted Nighthawks in 1942.", must_not="nvidia"),
    # Lowercase is never a company.
    case("on peut google n'importe quoi, mais le meta est partout et l'openai n'existe pas.",
         must_not="google meta openai"),
]

POSITIVES = [
    case("OpenAI's board met on Friday.", must="openai"),
    case("Le conseil d'administration d'OpenAI s'est réuni vendredi.", must="openai"),
    case("Voici l’IA de Meta, disponible dans WhatsApp.", must="meta"),
    case("Il semble qu’OpenAI prépare un navigateur.", must="openai"),
    case("Il est vrai qu'Anthropic recrute à Paris.", must="anthropic"),
    case("Google DeepMind a présenté AlphaFold 3.", must="google"),
    case("Mistral AI ouvre un bureau à Londres.", must="mistral-ai"),
    case("Le Chat de Mistral répond désormais en vingt langues.", must="mistral-ai"),
    case("Hugging Face héberge plus d'un million de modèles.", must="hugging-face"),
    case("DeepSeek-R1 a fait chuter le Nasdaq.", must="deepseek"),
    case("Nvidia's market value passed three trillion dollars.", must="nvidia"),
    case("NVIDIA a publié ses résultats trimestriels.", must="nvidia"),
    case("xAI lève six milliards de dollars.", must="xai"),
    case("Claude 3 Opus dépasse GPT-4 sur plusieurs tests.", must="anthropic openai"),
    case("L'assistant Claude sait désormais lire des PDF.", must="anthropic"),
    case("Gemini 1.5 Pro accepte un million de tokens.", must="google"),
    case("Llama 3 est disponible en deux tailles.", must="meta"),
    case("LLaMA was first released to researchers in 2023.", must="meta"),
    case("Grok-1 weights are now on GitHub.", must="xai"),
    case("Musk's chatbot Grok now answers in French.", must="xai"),
    case("GitHub Copilot writes a third of new code at some firms.", must="microsoft"),
    case("Microsoft's Copilot gets a new look.", must="microsoft"),
    case("Copilot est désormais intégré à Windows 11.", must="microsoft"),
    case("Apple a présenté Apple Intelligence à Cupertino.", must="apple"),
    case("Apple said on Tuesday that revenue rose.", must="apple"),
    case("The Apple Watch can now detect sleep apnea.", must="apple"),
    case("Les produits Apple restent chers.", must="apple"),
    case("Siri will be rebuilt for the next iPhone.", must="apple"),
    case("Alexa+ arrive en France cet automne.", must="amazon"),
    case("Amazon Web Services (AWS) propose Bedrock à ses clients.", must="amazon"),
    case("Jeff Bezos founded Amazon in 1994.", must="amazon"),
    case("Workers at the Amazon warehouse on Staten Island voted on Friday.", must="amazon",
         note="after 'the', rescued by a cue"),
    case("Facebook parent Meta beat expectations.", must="meta"),
    case("Meta AI est disponible dans Messenger.", must="meta"),
    case("Le modèle Mistral 7B tient sur un ordinateur portable.", must="mistral-ai"),
    case("Anthropic and Google both shipped models; the apple orchard next door stayed quiet.",
         must="anthropic google", must_not="apple"),
    case("Sora, le modèle vidéo d'OpenAI, arrive en Europe.", must="openai"),
    case("Blackwell GPUs are sold out for a year.", must="nvidia"),
]

NEWS = [
    case("Microsoft said on Wednesday it had agreed new terms with OpenAI, under which the ChatGPT maker "
         "can buy computing capacity from other cloud providers. Azure remains the main host of OpenAI's "
         "models, and Copilot keeps access to them until 2030.",
         must="openai microsoft", must_not="amazon google", note="news: Microsoft and OpenAI"),
    case("Mistral AI lance Le Chat Pro. La start-up parisienne fondée par Arthur Mensch propose une "
         "formule payante de son assistant. Le Chat s'appuie sur Mistral Large et sur Codestral pour le "
         "code.", must="mistral-ai", must_not="openai meta", note="news: Le Chat Pro"),
    case("À Avignon, le mistral a soufflé toute la semaine. Claude, viticulteur, craint pour ses vignes ; "
         "son voisin Jean-Claude a bâché les abricotiers, et la tarte aux pommes du marché s'est envolée.",
         must_not="mistral-ai anthropic apple", note="news: a Provence weather story"),
    case("Satellite data show deforestation in the Amazon fell by a third last year. Researchers at the "
         "Amazon river basin institute used machine-learning models to map illegal logging.",
         must_not="amazon", note="news: deforestation"),
    case("Apple is in talks with Google to use Gemini models for a revamped Siri, according to people "
         "familiar with the matter. The iPhone maker has also tested models from Anthropic and OpenAI.",
         must="apple google anthropic openai", must_not="microsoft", note="news: Apple and Gemini"),
    case("Meta a dévoilé samedi Llama 4, une famille de modèles multimodaux. Mark Zuckerberg affirme que "
         "l'IA de Meta compte un milliard d'utilisateurs mensuels. Les métadonnées des images "
         "d'entraînement n'ont pas été publiées.", must="meta", must_not="google", note="news: Llama 4"),
    case("Nvidia reported record data-center revenue as demand for Blackwell chips outstripped supply. "
         "Jensen Huang said the H100 remained in high demand and that DeepSeek's efficient models had "
         "not dented orders.", must="nvidia deepseek", must_not="microsoft", note="news: Nvidia results"),
    case("xAI a lancé Grok 3, qu'Elon Musk présente comme « l'IA la plus intelligente au monde ». Le "
         "modèle est accessible aux abonnés de X Premium+. Les chercheurs en XAI (IA explicable) restent "
         "sceptiques.", must="xai", must_not="openai", note="news: Grok 3"),
    case("Hugging Face released an open toolkit for XAI, the field of explainable AI, with examples on "
         "X-ray images. The project, backed by researchers at Google DeepMind, runs on CUDA.",
         must="hugging-face google nvidia", must_not="xai", note="news: explainable AI toolkit"),
    case("Votre horoscope de la semaine : les Gémeaux devront patienter. Pendant ce temps, Google "
         "déploie Gemini dans Gmail.", must="google", must_not="apple", note="news: Gemini in Gmail"),
]


@pytest.mark.parametrize("expected", TRAPS, ids=str)
def test_trap_names_no_company(detector, expected):
    assert check_text(detector, expected) == []


@pytest.mark.parametrize("expected", POSITIVES, ids=str)
def test_real_mention_is_found(detector, expected):
    assert check_text(detector, expected) == []


@pytest.mark.parametrize("expected", NEWS, ids=str)
def test_news_paragraph(detector, expected):
    assert check_text(detector, expected) == []


def test_every_trap_row_names_what_it_guards():
    assert all(row.must_not for row in TRAPS)
    assert all(row.must for row in POSITIVES)
