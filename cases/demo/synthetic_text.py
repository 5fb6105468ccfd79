"""Phrase banks for synthetic demo cases.

Every place name is invented (built from the syllables below), so a synthetic case can never be
mistaken for a real administration's project. Themes carry their own vocabulary, so that a
library search for "climate", "health", "digital" or "mobility" finds a realistic subset of
the synthetic library rather than all of it or none of it.

Templates use ``str.format`` fields: {place}, {org}, {partner}, {partner2}, {target},
{topic}, {n}, {m}, {m2}, {small}, {pct}, {pct2}, {months}, {year}.
"""

# Invented place names: first part x second part, shuffled per seed.
PLACE_HEADS = [
    "Vel", "Mar", "Ost", "Brin", "Cal", "Dor", "Eld", "Fen", "Gal", "Hal",
    "Ister", "Jor", "Kel", "Lun", "Mor", "Nor", "Orr", "Pell", "Quen", "Ros",
    "Sal", "Tav", "Ul", "Varn", "Wes", "Ys", "Zel", "Ald", "Bel", "Cor",
    "Dun", "Esk",
]  # fmt: skip
PLACE_TAILS = [
    "mora", "haven", "brück", "dale", "ovia", "stad", "mere", "wick", "ania", "holm",
    "ford", "ino", "by", "ac", "ea", "ovo", "gard", "lin", "era", "ach",
    "ton", "ella", "vik", "heim", "osa",
]  # fmt: skip

# Countries of synthetic lead organisations: ISO 3166 codes with weights, plus "EU".
COUNTRY_WEIGHTS = [
    ("AT", 5), ("BE", 5), ("BG", 2), ("HR", 2), ("CY", 1), ("CZ", 3), ("DK", 3), ("EE", 3),
    ("FI", 3), ("FR", 5), ("DE", 6), ("GR", 3), ("HU", 2), ("IE", 4), ("IT", 5), ("LV", 2),
    ("LT", 2), ("LU", 1), ("MT", 1), ("NL", 5), ("PL", 4), ("PT", 4), ("RO", 3), ("SK", 2),
    ("SI", 3), ("ES", 6), ("SE", 4), ("NO", 2), ("IS", 1), ("CH", 2), ("RS", 1), ("AL", 1),
    ("MK", 1), ("ME", 1), ("UA", 1), ("MD", 1), ("TR", 2), ("EU", 3),
]  # fmt: skip

# Neighbours used for cross-border partners.
NEIGHBOURS = {
    "AT": ["DE", "CZ", "SK", "HU", "SI", "IT", "CH"],
    "BE": ["NL", "FR", "DE", "LU"],
    "BG": ["RO", "GR", "MK", "RS", "TR"],
    "HR": ["SI", "HU", "RS", "ME"],
    "CY": ["GR"],
    "CZ": ["DE", "AT", "SK", "PL"],
    "DK": ["DE", "SE"],
    "EE": ["LV", "FI"],
    "FI": ["SE", "EE", "NO"],
    "FR": ["BE", "LU", "DE", "CH", "IT", "ES"],
    "DE": ["DK", "PL", "CZ", "AT", "CH", "FR", "LU", "BE", "NL"],
    "GR": ["BG", "MK", "AL", "CY"],
    "HU": ["AT", "SK", "RO", "RS", "HR", "SI", "UA"],
    "IE": ["GB"],
    "IT": ["FR", "CH", "AT", "SI", "MT"],
    "LV": ["EE", "LT"],
    "LT": ["LV", "PL"],
    "LU": ["BE", "FR", "DE"],
    "MT": ["IT"],
    "NL": ["BE", "DE"],
    "PL": ["DE", "CZ", "SK", "LT", "UA"],
    "PT": ["ES"],
    "RO": ["HU", "BG", "MD", "RS", "UA"],
    "SK": ["CZ", "AT", "HU", "PL", "UA"],
    "SI": ["IT", "AT", "HU", "HR"],
    "ES": ["PT", "FR"],
    "SE": ["NO", "FI", "DK"],
    "NO": ["SE", "FI"],
    "IS": ["NO", "DK"],
    "CH": ["DE", "FR", "IT", "AT"],
    "RS": ["HU", "RO", "BG", "MK", "HR", "ME"],
    "AL": ["ME", "MK", "GR"],
    "MK": ["AL", "GR", "BG", "RS"],
    "ME": ["HR", "RS", "AL"],
    "UA": ["PL", "SK", "HU", "RO", "MD"],
    "MD": ["RO", "UA"],
    "TR": ["GR", "BG"],
    "EU": ["BE", "LU", "FR", "DE", "NL"],
}

LEVEL_WEIGHTS = [("national", 50), ("local", 26), ("regional", 24)]

LEAD_NAMES = {
    "local": [
        "City of {place}",
        "Municipality of {place}",
        "{place} Town Council",
        "{place} City Administration",
    ],
    "regional": [
        "Regional Government of {place}",
        "{place} County Council",
        "Province of {place}",
        "{place} Regional Development Office",
    ],
    "national": [
        "{place} National Agency for Public Services",
        "{place} Ministry of the Interior",
        "{place} State Office for Social Affairs",
        "{place} National Digital Office",
    ],
    "eu-institution": [
        "European Office for Cooperation, {place} Unit",
        "EU Joint Support Service, {place} Branch",
    ],
}

PARTNER_NAMES = {
    "public": [
        "{place} Public Employment Service",
        "Municipality of {place}",
        "{place} Regional Health Authority",
        "{place} Statistics Office",
        "{place} Water Board",
    ],
    "private": [
        "{place} Data Works Ltd",
        "Northgate Engineering {place}",
        "{place} Mobility Solutions",
        "Brightline Software {place}",
        "{place} Energy Cooperative Ltd",
    ],
    "third-sector": [
        "{place} Neighbourhood Association",
        "Friends of {place} Foundation",
        "{place} Social Enterprise Network",
        "{place} Volunteers Alliance",
        "{place} Housing Cooperative",
    ],
    "academic": [
        "University of {place}",
        "{place} University of Applied Sciences",
        "{place} Institute for Public Policy",
        "{place} Research Centre for Urban Studies",
    ],
    "citizens": [
        "{place} Residents' Panel",
        "{place} Youth Council",
        "{place} Citizens' Assembly",
        "{place} Service Users' Forum",
    ],
}

PARTNER_ROLES = {
    "public": [
        "Shares its registers and staff time, and co-chairs the steering group.",
        "Runs the service in its own territory and reports results every quarter.",
        "Brings the legal mandate and aligns the project with its annual plan.",
    ],
    "private": [
        "Builds and maintains the technical platform under a shared-risk contract.",
        "Contributes engineering staff and part of the investment, sharing the savings.",
        "Provides equipment at cost and trains municipal staff to operate it.",
    ],
    "third-sector": [
        "Reaches the groups that public services rarely meet and co-designs the outreach.",
        "Coordinates volunteers and runs the community meetings.",
        "Represents service users on the board and handles complaints independently.",
    ],
    "academic": [
        "Designs the evaluation, collects the data and publishes the findings.",
        "Brings research evidence into the design and trains the project team.",
        "Runs the baseline survey and the follow-up study with a control group.",
    ],
    "citizens": [
        "Sets priorities in open sessions and reviews the service twice a year.",
        "Tests prototypes and proposes changes from everyday experience.",
        "Monitors quality through a panel of service users who report publicly.",
    ],
}

THEMES = [
    {
        "key": "climate",
        "weight": 12,
        "policy": ["environment-climate", "regional-development"],
        "topics": ["climate adaptation", "local climate action", "climate neutrality"],
        "targets": [
            "residents of flood-prone neighbourhoods",
            "households facing summer heat",
            "small businesses in the old town",
        ],
        "aims": [
            "prepare neighbourhoods for heatwaves and heavy rain",
            "cut the greenhouse gas emissions of public buildings",
            "plan the path to climate neutrality with residents",
        ],
        "titles": [
            "{place} Climate Pact for Neighbourhoods",
            "Cool Streets {place}",
            "{place} Towards Climate Neutrality",
            "Rain-Ready {place}",
        ],
        "problem": [
            "Summer heat in {place} had risen steadily, and the climate risk map showed that the "
            "hottest streets were also home to the oldest and poorest residents.",
            "Heavy rain overwhelmed drains several times a year, and the climate adaptation plan "
            "existed on paper without a budget or an owner.",
            "Emissions from public buildings had barely changed in a decade, while the climate "
            "targets of the council grew more ambitious each year.",
        ],
        "solution": [
            "Residents mapped hot spots street by street, and the city turned the map into a "
            "programme of shade trees, green roofs and water squares for climate adaptation.",
            "A climate budget line was opened in which neighbourhoods propose measures and the "
            "council funds the ones that cut the most emissions per euro.",
            "Every public building received an energy and climate passport, published online "
            "and updated each year.",
        ],
        "results": [
            "Surface temperatures in the redesigned streets fell by up to {small} degrees on the "
            "hottest days measured.",
            "Emissions of the participating buildings dropped by {pct} per cent against the "
            "baseline, and the climate budget was renewed.",
        ],
    },
    {
        "key": "health",
        "weight": 12,
        "policy": ["public-health-social-affairs"],
        "topics": ["community health", "preventive health care", "mental health support"],
        "targets": [
            "older people living alone",
            "families without a family doctor",
            "young people with mental health needs",
        ],
        "aims": [
            "bring preventive health checks to neighbourhoods that rarely use them",
            "shorten the wait for mental health support for young people",
            "connect primary health care with social services",
        ],
        "titles": [
            "{place} Health Neighbourhoods",
            "Well at Home in {place}",
            "{place} Mind Matters Network",
            "One Door to Health and Care in {place}",
        ],
        "problem": [
            "Waiting lists for mental health support in {place} stretched to {months} months, "
            "and many young people gave up before their first appointment.",
            "Preventive health checks reached only a minority of residents, and almost none of "
            "those with the highest risk.",
            "Health and social services held separate files on the same families and rarely "
            "spoke to each other.",
        ],
        "solution": [
            "Community health workers recruited from the neighbourhoods now visit homes, check "
            "blood pressure and refer people to the right health service the same week.",
            "A shared care plan lets the family doctor, the social worker and the patient see "
            "the same health goals and appointments.",
            "Walk-in mental health points in schools and libraries replaced the referral letter "
            "with a conversation.",
        ],
        "results": [
            "The share of residents attending a health check rose from {pct} to {pct2} per cent "
            "in the pilot districts.",
            "Average waiting time for a first mental health consultation fell to under two weeks.",
        ],
    },
    {
        "key": "digital",
        "weight": 14,
        "policy": ["digital-government", "public-administration-reform"],
        "topics": ["digital public services", "digital inclusion", "data sharing between agencies"],
        "targets": [
            "citizens who apply for benefits",
            "small companies dealing with permits",
            "people with low digital skills",
        ],
        "aims": [
            "turn a paper-based procedure into a digital service designed with its users",
            "let agencies share data once instead of asking citizens again",
            "give people with low digital skills a way into online services",
        ],
        "titles": [
            "{place} Digital Front Door",
            "Once Only {place}",
            "{place} Digital Helpers",
            "Permits Online {place}",
        ],
        "problem": [
            "Applying for a permit in {place} took {m} paper forms and several visits, and most "
            "of the data asked for was already held by another agency.",
            "Online services existed, but a third of residents lacked the digital skills or the "
            "devices to use them.",
            "Agencies kept their own registers and could not share data without a new agreement "
            "for every exchange.",
        ],
        "solution": [
            "The procedure was rebuilt as a digital service that fills in what the "
            "administration already knows and asks only for the rest.",
            "Digital helpers in libraries and community centres sit with people and complete "
            "online applications together with them.",
            "A data-sharing layer with a public log lets each citizen see which agency read "
            "which record and why.",
        ],
        "results": [
            "Processing time fell from {months} weeks to a few days, and {pct} per cent of "
            "applications now arrive complete.",
            "{n} residents were supported by digital helpers in the first year, most of them "
            "over sixty-five.",
        ],
    },
    {
        "key": "mobility",
        "weight": 9,
        "policy": ["regional-development", "environment-climate"],
        "topics": ["sustainable mobility", "rural public transport", "safe cycling"],
        "targets": [
            "commuters from surrounding villages",
            "pupils who cycle to school",
            "people without a car in rural areas",
        ],
        "aims": [
            "offer on-demand public transport where fixed bus lines failed",
            "make cycling to school safe",
            "plan mobility across municipal borders",
        ],
        "titles": [
            "{place} On-Demand Mobility",
            "Safe Routes to School {place}",
            "{place} Mobility Hubs",
            "Car-Free Days, Every Day, in {place}",
        ],
        "problem": [
            "Rural bus lines around {place} ran almost empty, yet people without a car could "
            "not reach work, school or a doctor.",
            "Parents drove children to school because the cycling routes were unsafe, which "
            "made the streets even less safe.",
            "Each municipality planned its own mobility, so commuter flows across borders were "
            "served by nobody.",
        ],
        "solution": [
            "An on-demand minibus service, booked by phone or app, replaced fixed timetables "
            "and is shared by {m} villages.",
            "Pupils and parents mapped their routes and the dangerous crossings; the mobility "
            "team redesigned them within a school year.",
            "Mobility hubs at railway stations combine shared bicycles, car sharing and "
            "secure parking under one ticket.",
        ],
        "results": [
            "Trips by public transport in the served area grew by {pct} per cent, and the cost "
            "per passenger fell.",
            "The share of pupils cycling to school rose from {pct} to {pct2} per cent.",
        ],
    },
    {
        "key": "housing",
        "weight": 7,
        "policy": ["public-health-social-affairs", "regional-development"],
        "topics": ["affordable housing", "homelessness prevention", "housing renovation"],
        "targets": [
            "tenants at risk of eviction",
            "people sleeping rough",
            "owners of poorly insulated homes",
        ],
        "aims": [
            "prevent evictions before they reach court",
            "offer homeless people a stable home first",
            "renovate old housing without displacing tenants",
        ],
        "titles": [
            "Housing First {place}",
            "{place} Eviction Prevention Desk",
            "{place} Renovation Together",
        ],
        "problem": [
            "Evictions in {place} were usually discovered when they reached the court, too late "
            "for any housing support to help.",
            "Shelters filled every winter, and people cycled between the street and emergency "
            "beds without ever finding stable housing.",
        ],
        "solution": [
            "Landlords, the court and social services agreed to signal rent arrears early, so "
            "that a housing adviser calls within a week.",
            "Homeless people are offered an ordinary flat first, with support that follows them "
            "rather than conditions they must meet.",
        ],
        "results": [
            "Evictions fell by {pct} per cent in two years, and most tenants kept their housing.",
            "{n} people moved into stable housing, and {pct2} per cent were still housed after "
            "a year.",
        ],
    },
    {
        "key": "education",
        "weight": 8,
        "policy": ["education-training"],
        "topics": ["early school leaving", "lifelong learning", "inclusive education"],
        "targets": [
            "pupils at risk of leaving school early",
            "adults without a secondary qualification",
            "children with special educational needs",
        ],
        "aims": [
            "keep pupils at risk in education",
            "open lifelong learning to adults who left school early",
            "bring support for special needs into ordinary classrooms",
        ],
        "titles": [
            "Stay in School {place}",
            "{place} Learning Neighbourhood",
            "{place} Classroom for Everyone",
        ],
        "problem": [
            "One pupil in {m} left school in {place} without a qualification, and schools "
            "noticed the warning signs only after the fact.",
            "Adults who had left education early found no courses that fitted around work and "
            "family.",
        ],
        "solution": [
            "Schools, youth workers and families meet as soon as absences rise, and agree a "
            "plan with the pupil rather than for the pupil.",
            "Evening and weekend learning modules in community centres lead step by step to a "
            "recognised qualification.",
        ],
        "results": [
            "Early school leaving in the participating schools fell by {pct} per cent.",
            "{n} adults completed a qualification through the learning modules.",
        ],
    },
    {
        "key": "employment",
        "weight": 7,
        "policy": ["employment-gender-equality"],
        "topics": ["youth employment", "labour market inclusion", "gender equality at work"],
        "targets": [
            "young people not in employment, education or training",
            "long-term unemployed people",
            "women returning to work",
        ],
        "aims": [
            "help long-term unemployed people into lasting jobs",
            "match young people with local employers",
            "close the gender gap in public-sector careers",
        ],
        "titles": [
            "{place} Jobs Bridge",
            "Youth Guarantee Lab {place}",
            "{place} Equal Careers",
        ],
        "problem": [
            "Long-term unemployment in {place} stayed high even as employers struggled to fill "
            "vacancies.",
            "Young people left training schemes without the contacts that lead to a first job.",
        ],
        "solution": [
            "Job coaches work alongside employers to redesign vacancies around what candidates "
            "can do, and stay in touch after hiring.",
            "A mentoring scheme pairs each young person with someone already working in the "
            "trade they want to enter.",
        ],
        "results": [
            "{pct} per cent of participants were still employed a year after placement.",
            "{n} young people found a first job or apprenticeship through the scheme.",
        ],
    },
    {
        "key": "energy",
        "weight": 6,
        "policy": ["environment-climate"],
        "topics": ["energy communities", "energy poverty", "renewable energy"],
        "targets": [
            "households in energy poverty",
            "owners of public buildings",
            "members of local energy communities",
        ],
        "aims": [
            "set up renewable energy communities with residents",
            "protect households in energy poverty",
            "make public buildings produce their own energy",
        ],
        "titles": [
            "{place} Energy Community",
            "Warm Homes {place}",
            "{place} Solar Roofs Programme",
        ],
        "problem": [
            "Energy prices pushed {pct} per cent of households in {place} into energy poverty, "
            "and many did not know what help existed.",
            "Public roofs stood empty while residents wanted to invest in renewable energy but "
            "had no place to do it.",
        ],
        "solution": [
            "Residents, the municipality and a cooperative founded an energy community that "
            "installs solar panels on public roofs and shares the output.",
            "Energy advisers visit homes, fix small leaks on the spot and help households apply "
            "for support.",
        ],
        "results": [
            "The energy community produces {n} megawatt hours a year and counts hundreds of "
            "members.",
            "Visited households cut their energy bills by an average of {pct} per cent.",
        ],
    },
    {
        "key": "water",
        "weight": 4,
        "policy": ["environment-climate"],
        "topics": ["water management", "river restoration", "drought resilience"],
        "targets": [
            "farmers along the river",
            "riverside communities",
            "water users in dry summers",
        ],
        "aims": [
            "restore the river together with the people who live along it",
            "prepare for drought with shared water rules",
        ],
        "titles": ["{place} River Compact", "Living River {place}", "{place} Drought Watch"],
        "problem": [
            "The river through {place} had been straightened and polluted, and water shortages "
            "in dry summers set farmers against towns.",
        ],
        "solution": [
            "A river contract signed by farmers, towns and nature groups sets shared water rules "
            "and funds restoration of the banks.",
        ],
        "results": [
            "Water quality improved at {pct} per cent of monitoring points, and no water "
            "restrictions were needed in the last dry summer.",
        ],
    },
    {
        "key": "ageing",
        "weight": 6,
        "policy": ["public-health-social-affairs"],
        "topics": ["long-term care", "active ageing", "support for informal carers"],
        "targets": ["older people living at home", "informal carers", "people with dementia"],
        "aims": [
            "help older people live at home for longer",
            "support informal carers before they burn out",
        ],
        "titles": [
            "{place} Caring Neighbourhoods",
            "Ageing Well in {place}",
            "{place} Carers' Circle",
        ],
        "problem": [
            "More older people in {place} lived alone, and informal carers took on tasks far "
            "beyond what they could sustain.",
        ],
        "solution": [
            "Neighbourhood care teams combine nurses, home helpers and volunteers, and plan care "
            "with the older person and their family.",
        ],
        "results": [
            "Admissions to residential care fell by {pct} per cent in the pilot area, and carers "
            "reported less strain.",
        ],
    },
    {
        "key": "safety",
        "weight": 5,
        "policy": ["justice-police-security"],
        "topics": ["community safety", "access to justice", "victim support"],
        "targets": [
            "victims of domestic violence",
            "residents of high-crime areas",
            "young offenders",
        ],
        "aims": [
            "give victims of domestic violence one place to turn",
            "make streets safer with residents rather than for them",
        ],
        "titles": ["{place} Safe at Home Centre", "Safer Streets {place}", "{place} Justice Desk"],
        "problem": [
            "Victims of domestic violence in {place} told their story to police, social "
            "services and the court separately, and many gave up along the way.",
        ],
        "solution": [
            "A single centre brings police, justice, health and social workers under one roof, "
            "so that victims tell their story once.",
        ],
        "results": [
            "Reported cases rose, while repeat victimisation fell by {pct} per cent.",
        ],
    },
    {
        "key": "integration",
        "weight": 5,
        "policy": ["public-health-social-affairs", "employment-gender-equality"],
        "topics": ["integration of newcomers", "language learning", "recognition of skills"],
        "targets": ["refugees and newcomers", "newly arrived families", "migrant workers"],
        "aims": [
            "help newcomers find work that matches their skills",
            "welcome newly arrived families in one place",
        ],
        "titles": ["{place} Welcome Centre", "Skills First {place}", "{place} New Neighbours"],
        "problem": [
            "Newcomers to {place} waited months for recognition of their qualifications and "
            "took jobs far below their skills.",
        ],
        "solution": [
            "A welcome centre combines language learning, skills checks and job matching, with "
            "volunteers as buddies in the first year.",
        ],
        "results": [
            "{pct} per cent of participants found work matching their skills within a year.",
        ],
    },
    {
        "key": "transparency",
        "weight": 5,
        "policy": ["public-administration-reform", "digital-government"],
        "topics": ["open data", "participatory budgeting", "transparent procurement"],
        "targets": [
            "residents who want a say in the budget",
            "journalists and researchers",
            "suppliers",
        ],
        "aims": [
            "open the municipal budget to residents' proposals",
            "publish procurement data that anyone can reuse",
        ],
        "titles": ["{place} Open Budget", "{place} Open Data Portal", "Decide {place}"],
        "problem": [
            "Residents of {place} saw the budget only as a finished document, and trust in the "
            "council had fallen to {pct} per cent.",
        ],
        "solution": [
            "A participatory budget lets residents propose and vote on projects, with open data "
            "showing how every euro is spent.",
        ],
        "results": [
            "{n} residents voted in the latest participatory budget round, and trust in the "
            "council rose by {small} points.",
        ],
    },
    {
        "key": "food",
        "weight": 3,
        "policy": ["environment-climate", "public-health-social-affairs"],
        "topics": ["sustainable school food", "food waste", "local food systems"],
        "targets": ["school children", "local farmers", "food banks"],
        "aims": ["serve local, healthy food in schools", "cut food waste in public canteens"],
        "titles": ["{place} Good Food Schools", "Zero Waste Canteens {place}"],
        "problem": [
            "School canteens in {place} threw away a third of the food they cooked, while local "
            "farmers struggled to sell their produce.",
        ],
        "solution": [
            "Canteens buy from local farmers through a simplified tender, and children help plan "
            "the menus.",
        ],
        "results": [
            "Food waste in canteens fell by {pct} per cent and local produce now makes up most "
            "of the menu.",
        ],
    },
]

# Theme-neutral sentences per narrative field; themes add their own (see THEMES).
NARRATIVE = {
    "problem": [
        "Before the project, responsibility for {topic} was split between several offices in "
        "{place}, and nobody owned the whole picture.",
        "The people most affected, {target}, were rarely asked what would help them.",
        "Existing services had grown one by one over twenty years and no longer matched how "
        "people actually live.",
        "A survey among {n} residents showed that most knew little about the support on offer.",
        "Budgets were under pressure, so doing more of the same was not an option.",
        "Staff saw the gaps every day but had no forum in which to propose changes.",
        "Earlier attempts had stalled after a pilot because no partner felt responsible for "
        "carrying them on.",
        "{org} set itself the goal of treating {topic} as a shared task rather than a service "
        "delivered to passive recipients.",
    ],
    "solution": [
        "{org} set up a joint team with {partner}, with a shared budget and one project lead.",
        "The service was designed in workshops with {target}, who tested every prototype.",
        "What is new is less the technology than the way the partners share decisions, data "
        "and risks.",
        "Instead of a new institution, the project uses a light agreement that each partner "
        "signed for {months} months at a time.",
        "Frontline staff received the authority to solve problems on the spot instead of "
        "referring people on.",
        "The approach borrows from a practice seen in another country and adapts it to local "
        "law and culture.",
        "Progress is tracked on a public dashboard that partners and residents can read.",
        "A small fund lets neighbourhood groups try their own ideas on {topic} with light "
        "reporting.",
    ],
    "collaboration": [
        "{partner} joined from the start and shaped the project's goals, not only its delivery.",
        "A steering group of all partners meets monthly; decisions are taken by consensus and "
        "minuted openly.",
        "{partner2} brought knowledge that the administration lacked and challenged its "
        "assumptions.",
        "Partners agreed in writing who owns the data, who pays for what and how disputes are "
        "settled.",
        "Citizens were not consulted once at the end but involved at every stage.",
        "Staff from different organisations worked in one shared space two days a week.",
        "The partnership grew from {m} to more than {m2} members as word spread.",
        "Each partner named a contact person with the mandate to commit their organisation.",
    ],
    "results": [
        "An independent evaluation compared the pilot area with a similar area without the "
        "project.",
        "{n} people used the service in its first full year.",
        "User satisfaction reached {pct2} per cent in the annual survey.",
        "Costs per case fell by {pct} per cent, mostly through fewer repeated contacts.",
        "The results were published in full, including the targets that were missed.",
        "Staff turnover in the participating teams fell, and sick leave declined.",
        "The council adopted the approach as standard practice after {months} months.",
        "Residents reported that they felt heard, which the partners regard as a result in itself.",
    ],
    "challenges": [
        "Data protection rules first seemed to block the sharing of information; a legal "
        "review found a lawful basis and set clear limits.",
        "Not all departments were convinced at the start, and some resisted sharing their budget.",
        "Keeping volunteers engaged after the launch proved harder than recruiting them.",
        "Procurement rules were not written for partnerships, so the team had to find "
        "workable contract forms.",
        "An election midway through the project brought new political leadership, and the "
        "project had to earn support again.",
        "Expectations raised in the workshops were sometimes higher than the budget allowed.",
        "Measuring outcomes rather than activities required new data that nobody collected before.",
    ],
    "sustainability": [
        "The service is now financed from the regular budget of {org}.",
        "A cooperation agreement secures the partnership for another {months} months.",
        "Knowledge is kept in a shared handbook so the project does not depend on a few people.",
        "Senior management and the council have both endorsed the approach in writing.",
        "Savings from fewer emergency interventions cover most of the running costs.",
        "Partners contribute staff time rather than cash, which keeps the model affordable.",
    ],
    "transferability": [
        "The toolkit, contracts and evaluation design are published under an open licence.",
        "Two neighbouring administrations have started adapting the approach to their setting.",
        "The model needs little technology and could work at any level of government.",
        "The key lesson is to involve {target} before the solution is fixed.",
        "Transfer requires a partner who can build trust with the groups concerned; this "
        "cannot be bought in.",
        "The team hosted study visits from {m} administrations in other countries.",
        "Legal conditions differ between countries, so the data-sharing part may need the "
        "most adaptation.",
    ],
}

SUMMARY_OPENERS = [
    "{org} and its partners {aim} for {target} in {place}.",
    "In {place}, {org} set out to {aim}, working with {partner}.",
    "This project of {org} brings public bodies, partners and {target} together to {aim}.",
]

SUMMARY_CLOSERS = [
    "After {months} months the approach is part of regular practice and has been shared with "
    "other administrations.",
    "An evaluation with {partner} documents the results, and the partners publish what "
    "worked and what did not.",
    "The project shows how shared decisions and shared risks can improve a public service "
    "without a large new budget.",
    "It reached {n} people in its first years and continues with funding from the partners' "
    "own budgets.",
]

# Factor self-assessments: per factor slug, a strong and a weak statement.
FACTOR_TEXT = {
    "policy-environment": (
        "National and local policy explicitly invite collaboration on {topic}, and the "
        "council's strategy names partnership as the preferred way of working.",
        "Policy rewards competition between providers, so collaboration on {topic} depended "
        "on individual goodwill rather than on a mandate.",
    ),
    "partnership-platform": (
        "A standing partnership platform convenes public, private and community actors "
        "every month and has its own coordinator.",
        "Partners met only when a problem arose; there was no standing forum to bring them "
        "together.",
    ),
    "partner-selection": (
        "Partners were chosen for their commitment and their reach among {target}, not only "
        "for their price.",
        "Some partners joined because funding required it and contributed little beyond the "
        "minimum.",
    ),
    "resources-capacity": (
        "{org} assigned dedicated staff and a multi-year budget to the partnership.",
        "The project ran on borrowed staff time, and capacity was the main limit on growth.",
    ),
    "partnership-skills": (
        "Staff received training in facilitation and joint problem solving, and several had "
        "worked in partnerships before.",
        "Few staff had partnership experience, and the team learned mostly by trial and error.",
    ),
    "partnership-design": (
        "The partnership follows a written agreement with shared goals, roles and outcome "
        "measures focused on the quality of life of {target}.",
        "Roles were agreed informally and the outcome measures were defined late.",
    ),
    "risk-acknowledgement": (
        "Risks, including political sensitivity and public scrutiny, were listed openly and "
        "reviewed by all partners each quarter.",
        "Risks were discussed only internally, and a critical news report caught the "
        "partners unprepared.",
    ),
    "transparency-joint-decisions": (
        "Decisions are taken jointly and published, and service users have seats on the "
        "steering group.",
        "Most decisions were still taken by {org} alone and shared with partners afterwards.",
    ),
}

FACTOR_NOT_APPLICABLE = (
    "This factor played no real part in the project, because of its size and the short time frame."
)

FACTOR_EVIDENCE = [
    "Council decision of {year} and the signed cooperation agreement.",
    "Minutes of the steering group, published on the project website.",
    "Evaluation report by {partner}, {year}.",
    "Annual report of {org}, chapter on partnerships.",
    "Survey of {n} participants and partner interviews.",
    "Budget lines in the multi-annual plan {year}.",
    "Training records and the partnership handbook.",
]
