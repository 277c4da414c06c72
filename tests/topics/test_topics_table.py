"""Which topics realistic news paragraphs get, in French and English, against the site's topics.yaml.

Each row says what a reader would expect (`must`) and what would be a false friend (`must_not`).
The sample-post table reuses topics_support.table_failures the same way.
"""

from topics_support import TableRow, table_failures, topics_of

ROWS = [
    TableRow(
        "grok-open-source-en",
        "xAI open-sources Grok-1, a 314-billion-parameter model",
        "Elon Musk's xAI has released the weights and the architecture of Grok-1 under the Apache 2.0 "
        "license, which allows commercial use. The base model was trained from scratch and has not been "
        "fine-tuned for conversation. The weights can be downloaded from [GitHub](https://github.com/xai-org/grok-1). "
        "The release comes weeks after Musk filed a lawsuit against OpenAI.",
        must={"open-source"}, must_not={"legal", "funding", "regulation", "deals"},
    ),
    TableRow(
        "grok-open-source-fr",
        "xAI publie en open source les poids de Grok-1",
        "La société d'Elon Musk a mis en ligne les poids et l'architecture de son modèle, sous licence "
        "Apache 2.0. Avec 314 milliards de paramètres, Grok-1 devient l'un des plus grands modèles dont les "
        "poids sont librement téléchargeables. Les données d'entraînement restent privées.",
        must={"open-source"}, must_not={"legal", "funding", "deals", "hardware"},
    ),
    TableRow(
        "gpt-4o-launch-en",
        "OpenAI launches GPT-4o, a faster multimodal model",
        "OpenAI on Monday unveiled GPT-4o, a new model that handles text, audio and images in real time. "
        "The model matches GPT-4 Turbo on text benchmarks and will be available to free ChatGPT users. "
        "Developers get it in the API at half the price.",
        must={"model-release"}, must_not={"funding", "legal", "hardware", "regulation", "deals"},
    ),
    TableRow(
        "gpt-4o-launch-fr",
        "OpenAI dévoile GPT-4o, un modèle multimodal plus rapide",
        "Le nouveau modèle d'OpenAI comprend le texte, la voix et l'image, et répond presque en temps réel. "
        "Il sera disponible gratuitement dans ChatGPT. Les développeurs y accèdent par l'API, à moitié prix.",
        must={"model-release"}, must_not={"funding", "legal", "hardware", "regulation"},
    ),
    TableRow(
        "mistral-funding-fr",
        "Mistral AI lève 600 millions d'euros",
        "La start-up parisienne boucle un nouveau tour de table mené par le fonds General Catalyst, avec la "
        "participation de ses investisseurs historiques. Cette levée de fonds la valorise près de 6 milliards "
        "d'euros. L'entreprise, qui avait milité pour assouplir l'AI Act, veut recruter et accroître sa "
        "puissance de calcul. À court terme, elle ne prévoit pas d'introduction en bourse.",
        # One mention of the AI Act and one of compute are passing mentions; "à court terme" is not a court.
        must={"funding"}, must_not={"regulation", "legal", "hardware", "deals"},
    ),
    TableRow(
        "ai-act-adoption-fr",
        "Le Parlement européen adopte le règlement sur l'IA",
        "Les eurodéputés ont approuvé mercredi l'AI Act, le premier cadre réglementaire complet consacré à "
        "l'intelligence artificielle. Le texte classe les usages selon leur niveau de risque et interdit la "
        "notation sociale. Les États membres devront désigner des régulateurs nationaux.",
        must={"regulation"}, must_not={"legal", "funding", "deals", "hardware"},
    ),
    TableRow(
        "ai-act-adoption-en",
        "EU lawmakers approve the AI Act",
        "The European Parliament voted on Wednesday to adopt the Artificial Intelligence Act. The regulation "
        "sorts AI uses by risk, bans social scoring and imposes transparency duties on general-purpose models. "
        "National regulators will enforce the rules from 2026.",
        must={"regulation"}, must_not={"legal", "funding", "deals"},
    ),
    TableRow(
        "musk-v-openai-en",
        "Elon Musk sues OpenAI and Sam Altman",
        "In a complaint filed in a San Francisco court, Musk's lawyers accuse OpenAI of breach of contract for "
        "abandoning its non-profit mission. The company says the suit is baseless and will ask the judge to "
        "dismiss it. Microsoft, which has invested billions in OpenAI, is not a defendant.",
        must={"legal"}, must_not={"funding", "regulation", "deals", "model-release"},
    ),
    TableRow(
        "nyt-v-openai-fr",
        "Le New York Times poursuit OpenAI et Microsoft en justice",
        "Le quotidien accuse les deux entreprises de violation du droit d'auteur : des millions d'articles "
        "auraient servi à entraîner leurs modèles sans autorisation. La plainte, déposée devant un tribunal "
        "fédéral de Manhattan, réclame des milliards de dollars de dommages. OpenAI, partenaire de "
        "Microsoft, dit vouloir trouver un accord avec les éditeurs.",
        must={"legal"}, must_not={"funding", "deals", "regulation"},
    ),
    TableRow(
        "nvidia-chips-en",
        "Nvidia unveils Blackwell, its next AI chip",
        "At its GTC conference, Nvidia presented the B200 GPU, which packs 208 billion transistors on two dies. "
        "The company says the chip trains large models four times faster than the H100. Cloud providers and "
        "data center operators will get the first systems later this year.",
        must={"hardware"}, must_not={"model-release", "funding", "legal", "research"},
    ),
    TableRow(
        "nvidia-chips-fr",
        "Nvidia présente Blackwell, sa nouvelle puce pour l'IA",
        "Le fabricant a dévoilé le GPU B200 lors de sa conférence annuelle. Selon Nvidia, ces puces "
        "entraînent les grands modèles quatre fois plus vite et équiperont les centres de données des "
        "principaux fournisseurs de cloud dès la fin de l'année.",
        must={"hardware"}, must_not={"model-release", "funding", "legal"},
    ),
    TableRow(
        "safety-institute-en",
        "Britain launches an AI Safety Institute",
        "The institute will test frontier models before and after release for dangerous capabilities, from "
        "cyber-attacks to the misuse of biology. Its researchers will publish evaluations and work on "
        "safeguards with the labs that agreed to give early access.",
        must={"safety"}, must_not={"funding", "legal", "hardware", "model-release"},
    ),
    TableRow(
        "safety-institute-fr",
        "La France crée son institut de sécurité de l'IA",
        "Le nouvel institut évaluera les risques des modèles les plus puissants, de la désinformation aux "
        "usages malveillants, et travaillera sur l'alignement et les garde-fous avec ses homologues "
        "britannique et américain.",
        must={"safety"}, must_not={"funding", "legal", "regulation", "hardware"},
    ),
    TableRow(
        "microsoft-openai-partnership-en",
        "Microsoft extends its partnership with OpenAI",
        "Microsoft will invest a further $10 billion in OpenAI under a multi-year agreement, taking a "
        "minority stake in the company's capped-profit arm. Azure remains OpenAI's exclusive cloud provider, "
        "and Microsoft will build OpenAI's models into its products.",
        must={"deals"}, must_not={"legal", "regulation", "hardware", "safety"},
    ),
    TableRow(
        "microsoft-inflection-fr",
        "Microsoft recrute l'équipe d'Inflection AI, une acquisition qui ne dit pas son nom",
        "Plutôt qu'un rachat en bonne et due forme, Microsoft embauche le cofondateur Mustafa Suleyman et la "
        "plupart des salariés de la start-up, et paie un accord de licence de 650 millions de dollars pour "
        "utiliser ses modèles. L'opération évite l'examen qu'aurait déclenché une fusion.",
        must={"deals"}, must_not={"funding", "legal", "hardware", "safety"},
    ),
    TableRow(
        "alphafold-paper-en",
        "DeepMind researchers publish AlphaFold 3 in Nature",
        "In a peer-reviewed paper, Google DeepMind and Isomorphic Labs describe a model that predicts how "
        "proteins interact with DNA, RNA and small molecules. The study reports a 50% accuracy gain over "
        "existing methods on a standard benchmark. The scientists released a web server for academic use.",
        must={"research"}, must_not={"funding", "legal", "regulation", "deals", "hardware"},
    ),
    TableRow(
        "reasoning-paper-fr",
        "Des chercheurs montrent que les modèles raisonnent mieux en écrivant leurs étapes",
        "Dans une prépublication déposée sur arXiv, une équipe de l'université de Stanford compare plusieurs "
        "méthodes de raisonnement. Leur étude montre qu'un modèle qui détaille ses étapes résout deux fois "
        "plus de problèmes de mathématiques.",
        must={"research"}, must_not={"funding", "legal", "regulation", "deals", "hardware"},
    ),
    TableRow(
        "passing-mentions-en",
        "What we learned at this year's AI conference",
        "Speakers discussed the regulation coming from Brussels, a start-up's funding, the price of chips, "
        "a recent lawsuit and a new safety benchmark. Most attendees were there to hire engineers.",
        # One passing mention of each topic tags nothing.
        must_not={"regulation", "funding", "hardware", "legal", "safety", "model-release", "research"},
    ),
    TableRow(
        "false-friends-en",
        "Bitcoin as legal tender, two years on",
        "El Salvador made bitcoin legal tender in 2021. Shops accept it, but few use it. A free trial of the "
        "state wallet attracted users, and the IMF raised concerns about the risks for public finances.",
        must_not={"legal", "funding"},
    ),
    TableRow(
        "veto-and-explicit-tags",
        "Mistral AI lève 600 millions d'euros",
        "Une levée de fonds menée par des investisseurs américains.",
        tags=("research",), exclude_tags=("funding",),
        must={"research"}, must_not={"funding"},
    ),
]


def test_table_of_news_paragraphs():
    failures = table_failures(ROWS)
    assert not failures, "\n\n".join(failures)


def test_topics_of_is_the_builds_answer_for_a_title_and_body():
    assert topics_of("Le Parlement européen adopte l'AI Act", "Le règlement entre en vigueur.") == ["regulation"]
    assert topics_of("Bonjour", "Rien à signaler.") == []
    assert topics_of("Bonjour", "Rien.", tags=["legal"]) == ["legal"]
