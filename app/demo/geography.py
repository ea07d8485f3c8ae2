"""Regions, the cultures people come from within them, and their names, time zones and languages.

A region is a mix of cultures, so a London office has Polish, Nigerian and Indian colleagues
as well as British ones, and a consultant's time zone and languages follow from where they
sit, not only from their name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Culture:
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    languages: tuple[str, ...]  # spoken besides the office language, most likely first


@dataclass(frozen=True)
class Office:
    timezone: str
    language: str  # the working language of the office


@dataclass(frozen=True)
class Region:
    name: str
    headcount_share: float
    offices: tuple[tuple[Office, float], ...]
    cultures: tuple[tuple[str, float], ...]
    # Cost and bill rates relative to North America (offshore and nearshore delivery is cheaper).
    cost_factor: float
    bill_factor: float


# fmt: off
CULTURES: dict[str, Culture] = {
    "anglo": Culture(
        (
            "James", "Emily", "Michael", "Sarah", "David", "Jessica", "Daniel", "Laura", "Ryan",
            "Hannah", "Matthew", "Olivia", "Andrew", "Megan", "Thomas", "Rachel", "Christopher",
            "Katie", "Benjamin", "Amy", "Nathan", "Lauren", "Samuel", "Chloe", "Jack", "Grace",
            "Oliver", "Sophie", "Liam", "Charlotte",
        ),
        (
            "Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Anderson", "Thompson",
            "Walker", "Harris", "Clark", "Lewis", "Robinson", "Hall", "Young", "Allen", "Wright",
            "Scott", "Green", "Baker", "Adams", "Campbell", "Mitchell", "Roberts", "Carter",
            "Phillips", "Evans", "Turner", "Parker", "Collins", "Murphy", "Bennett", "Hughes",
        ),
        (),
    ),
    "hispanic_us": Culture(
        (
            "Carlos", "Maria", "Jose", "Ana", "Luis", "Gabriela", "Miguel", "Sofia", "Diego",
            "Valentina", "Javier", "Isabel", "Andres", "Camila", "Ricardo", "Daniela",
        ),
        (
            "Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez",
            "Ramirez", "Torres", "Flores", "Rivera", "Reyes", "Morales", "Ortiz",
        ),
        ("Spanish",),
    ),
    "east_asian_us": Culture(
        (
            "Kevin", "Michelle", "Jason", "Grace", "Eric", "Jennifer", "Brian", "Vivian", "Andrew",
            "Karen", "Daniel", "Christine",
        ),
        (
            "Chen", "Wang", "Li", "Nguyen", "Kim", "Park", "Wong", "Lee", "Huang", "Tran", "Liu",
            "Zhang",
        ),
        ("Mandarin", "Korean", "Vietnamese"),
    ),
    "south_asian": Culture(
        (
            "Priya", "Rahul", "Ananya", "Arjun", "Neha", "Vikram", "Kavya", "Rohan", "Deepa",
            "Aditya", "Sneha", "Karthik", "Pooja", "Sanjay", "Divya", "Amit", "Lakshmi", "Nikhil",
            "Meera", "Suresh", "Shreya", "Varun", "Anjali", "Harish",
        ),
        (
            "Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Rao", "Krishnan",
            "Mehta", "Kumar", "Singh", "Desai", "Joshi", "Pillai", "Bhat", "Chatterjee", "Agarwal",
            "Subramanian", "Verma",
        ),
        ("Hindi", "Tamil", "Telugu", "Kannada", "Marathi"),
    ),
    "african_american": Culture(
        (
            "Marcus", "Aaliyah", "Darnell", "Imani", "Terrence", "Jasmine", "Andre", "Keisha",
            "Malik", "Tiana",
        ),
        (
            "Washington", "Jackson", "Williams", "Jefferson", "Banks", "Coleman", "Brooks",
            "Freeman", "Mosley", "Harrison",
        ),
        (),
    ),
    "french_canadian": Culture(
        (
            "Etienne", "Genevieve", "Mathieu", "Isabelle", "Julien", "Marie-Eve", "Sebastien",
            "Chantal", "Olivier", "Nathalie",
        ),
        (
            "Tremblay", "Gagnon", "Roy", "Cote", "Bouchard", "Gauthier", "Lavoie", "Fortin",
            "Pelletier", "Leblanc",
        ),
        ("French",),
    ),
    "british": Culture(
        (
            "Oliver", "Amelia", "Harry", "Isla", "George", "Poppy", "Alfie", "Freya", "Charlie",
            "Imogen", "Rory", "Eleanor", "Callum", "Niamh", "Alistair", "Fiona",
        ),
        (
            "Davies", "Jones", "Williams", "Evans", "Thomas", "Roberts", "Hughes", "Edwards",
            "Wright", "Walsh", "Murray", "Fraser", "Kennedy", "Stewart", "Clarke", "Ward",
        ),
        (),
    ),
    "german": Culture(
        (
            "Lukas", "Anna", "Felix", "Lena", "Jonas", "Katharina", "Maximilian", "Julia", "Tobias",
            "Sabine", "Stefan", "Miriam", "Florian", "Johanna",
        ),
        (
            "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
            "Hoffmann", "Schulz", "Koch", "Richter", "Wolf", "Neumann",
        ),
        ("German",),
    ),
    "french": Culture(
        (
            "Antoine", "Camille", "Julien", "Claire", "Nicolas", "Elodie", "Thibault", "Manon",
            "Guillaume", "Ines", "Hugo", "Margaux",
        ),
        (
            "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefebvre", "Girard", "Fontaine",
            "Rousseau", "Mercier", "Blanc", "Chevalier",
        ),
        ("French",),
    ),
    "dutch": Culture(
        (
            "Daan", "Sanne", "Bram", "Lotte", "Thijs", "Femke", "Jeroen", "Anouk", "Ruben", "Eline",
        ),
        (
            "de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Mulder",
            "de Boer", "Bos",
        ),
        ("Dutch",),
    ),
    "spanish": Culture(
        (
            "Pablo", "Lucia", "Alejandro", "Carmen", "Sergio", "Marta", "Alvaro", "Elena",
            "Ignacio", "Paula",
        ),
        (
            "Fernandez", "Gomez", "Ruiz", "Jimenez", "Navarro", "Moreno", "Alonso", "Romero",
            "Castillo", "Vega",
        ),
        ("Spanish", "Catalan"),
    ),
    "italian": Culture(
        (
            "Marco", "Giulia", "Luca", "Francesca", "Matteo", "Chiara", "Alessandro", "Sara",
            "Davide", "Federica",
        ),
        (
            "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
            "Marino", "Greco",
        ),
        ("Italian",),
    ),
    "polish": Culture(
        (
            "Piotr", "Agnieszka", "Tomasz", "Katarzyna", "Michal", "Magdalena", "Pawel", "Anna",
            "Krzysztof", "Joanna",
        ),
        (
            "Kowalski", "Nowak", "Wisniewska", "Wojcik", "Kaminski", "Lewandowska", "Zielinski",
            "Szymanska", "Dabrowski", "Kozlowska",
        ),
        ("Polish",),
    ),
    "nordic": Culture(
        (
            "Erik", "Ingrid", "Lars", "Astrid", "Mikkel", "Sofie", "Henrik", "Maja", "Johan",
            "Linnea",
        ),
        (
            "Andersson", "Johansson", "Nielsen", "Hansen", "Larsen", "Lindqvist", "Berg",
            "Halvorsen", "Eriksson", "Sorensen",
        ),
        ("Swedish", "Danish", "Norwegian"),
    ),
    "arabic": Culture(
        (
            "Omar", "Layla", "Youssef", "Fatima", "Karim", "Noor", "Tariq", "Rania", "Hassan",
            "Mariam",
        ),
        (
            "Haddad", "Khalil", "Nasser", "Mansour", "Saleh", "Farouk", "Aziz", "Hamdan", "Rahman",
            "Khoury",
        ),
        ("Arabic", "French"),
    ),
    "african": Culture(
        (
            "Thabo", "Naledi", "Chinedu", "Amara", "Sipho", "Zanele", "Kwame", "Ngozi", "Tendai",
            "Lindiwe", "Oluwaseun", "Ama",
        ),
        (
            "Nkosi", "Dlamini", "Okafor", "Mensah", "Ndlovu", "Adeyemi", "Botha", "Mokoena", "Osei",
            "van der Merwe", "Eze", "Mthembu",
        ),
        ("Zulu", "Afrikaans", "Yoruba", "Igbo"),
    ),
    "chinese": Culture(
        (
            "Wei", "Jing", "Hao", "Mei", "Jun", "Xiaoling", "Chen", "Yan", "Lei", "Hui", "Ming",
            "Fang",
        ),
        (
            "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu",
            "Sun",
        ),
        ("Mandarin", "Cantonese"),
    ),
    "japanese": Culture(
        (
            "Haruto", "Yui", "Kenji", "Aiko", "Takeshi", "Sakura", "Daiki", "Naomi", "Ryo", "Emi",
        ),
        (
            "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
            "Kobayashi", "Kato",
        ),
        ("Japanese",),
    ),
    "korean": Culture(
        ("Minjun", "Seoyeon", "Jihoon", "Hayoung", "Donghyun", "Jiwoo"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang"),
        ("Korean",),
    ),
    "australian": Culture(
        (
            "Jack", "Matilda", "Cooper", "Ruby", "Lachlan", "Zoe", "Mitchell", "Tahlia", "Hamish",
            "Georgia", "Angus", "Brooke",
        ),
        (
            "Kelly", "O'Brien", "Ryan", "McDonald", "Thompson", "Nguyen", "Murphy", "Stewart",
            "Harrison", "Fletcher", "Doyle", "Kennedy",
        ),
        (),
    ),
    "filipino": Culture(
        (
            "Paolo", "Angelica", "Mark", "Kristine", "Jerome", "Patricia", "Rafael", "Bea",
        ),
        (
            "Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Mendoza", "Villanueva", "Aquino",
        ),
        ("Filipino",),
    ),
    "malay_singapore": Culture(
        (
            "Wei Ling", "Jun Jie", "Siti", "Arif", "Hui Min", "Darren", "Nurul", "Farhan",
        ),
        ("Tan", "Lim", "Ng", "Ong", "Goh", "Abdullah", "Teo", "Ismail"),
        ("Mandarin", "Malay"),
    ),
    "brazilian": Culture(
        (
            "Joao", "Mariana", "Pedro", "Beatriz", "Gustavo", "Larissa", "Rafael", "Fernanda",
            "Thiago", "Juliana", "Lucas", "Carolina", "Bruno", "Leticia",
        ),
        (
            "Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Carvalho",
            "Almeida", "Ribeiro", "Ferreira", "Barbosa", "Araujo", "Rocha",
        ),
        ("Portuguese",),
    ),
    "mexican": Culture(
        (
            "Alejandro", "Fernanda", "Emiliano", "Ximena", "Santiago", "Renata", "Mateo", "Regina",
            "Rodrigo", "Paulina",
        ),
        (
            "Hernandez", "Garcia", "Martinez", "Lopez", "Gonzalez", "Ramirez", "Cruz", "Vazquez",
            "Mendoza", "Castro",
        ),
        ("Spanish",),
    ),
    "argentine": Culture(
        (
            "Martin", "Florencia", "Nicolas", "Agustina", "Facundo", "Micaela", "Tomas", "Victoria",
        ),
        (
            "Fernandez", "Gomez", "Diaz", "Alvarez", "Romero", "Sosa", "Benitez", "Acosta",
        ),
        ("Spanish",),
    ),
    "colombian": Culture(
        (
            "Andres", "Natalia", "Felipe", "Catalina", "Sebastian", "Juliana", "Camilo", "Laura",
        ),
        (
            "Restrepo", "Gutierrez", "Vargas", "Jaramillo", "Ospina", "Cardenas", "Salazar",
            "Mejia",
        ),
        ("Spanish",),
    ),
    "chilean": Culture(
        ("Benjamin", "Antonia", "Vicente", "Josefa", "Cristobal", "Constanza"),
        ("Munoz", "Rojas", "Contreras", "Soto", "Araya", "Fuentes"),
        ("Spanish",),
    ),
}

REGIONS: dict[str, Region] = {
    "North America": Region(
        "North America", 0.35,
        (
            (Office("America/New_York", "English"), 0.36),
            (Office("America/Chicago", "English"), 0.22),
            (Office("America/Los_Angeles", "English"), 0.18),
            (Office("America/Denver", "English"), 0.06),
            (Office("America/Toronto", "English"), 0.12),
            (Office("America/Vancouver", "English"), 0.06),
        ),
        (
            ("anglo", 0.46), ("hispanic_us", 0.14), ("east_asian_us", 0.12), ("south_asian", 0.14),
            ("african_american", 0.09), ("french_canadian", 0.05),
        ),
        1.0, 1.0,
    ),
    "EMEA": Region(
        "EMEA", 0.3,
        (
            (Office("Europe/London", "English"), 0.32),
            (Office("Europe/Berlin", "German"), 0.14),
            (Office("Europe/Paris", "French"), 0.12),
            (Office("Europe/Amsterdam", "Dutch"), 0.09),
            (Office("Europe/Madrid", "Spanish"), 0.07),
            (Office("Europe/Warsaw", "Polish"), 0.09),
            (Office("Europe/Stockholm", "Swedish"), 0.05),
            (Office("Asia/Dubai", "English"), 0.06),
            (Office("Africa/Johannesburg", "English"), 0.06),
        ),
        (
            ("british", 0.24), ("german", 0.12), ("french", 0.11), ("dutch", 0.07),
            ("spanish", 0.07), ("italian", 0.06), ("polish", 0.09), ("nordic", 0.05),
            ("arabic", 0.06), ("african", 0.07), ("south_asian", 0.06),
        ),
        0.95, 0.95,
    ),
    "APAC": Region(
        "APAC", 0.25,
        (
            (Office("Asia/Kolkata", "English"), 0.42),
            (Office("Asia/Singapore", "English"), 0.14),
            (Office("Australia/Sydney", "English"), 0.16),
            (Office("Australia/Melbourne", "English"), 0.07),
            (Office("Asia/Tokyo", "Japanese"), 0.07),
            (Office("Asia/Shanghai", "Mandarin"), 0.06),
            (Office("Asia/Manila", "English"), 0.08),
        ),
        (
            ("south_asian", 0.42), ("chinese", 0.12), ("australian", 0.17), ("japanese", 0.07),
            ("korean", 0.04), ("filipino", 0.08), ("malay_singapore", 0.1),
        ),
        0.55, 0.68,
    ),
    "LATAM": Region(
        "LATAM", 0.1,
        (
            (Office("America/Sao_Paulo", "Portuguese"), 0.4),
            (Office("America/Mexico_City", "Spanish"), 0.25),
            (Office("America/Argentina/Buenos_Aires", "Spanish"), 0.15),
            (Office("America/Bogota", "Spanish"), 0.12),
            (Office("America/Santiago", "Spanish"), 0.08),
        ),
        (
            ("brazilian", 0.4), ("mexican", 0.24), ("argentine", 0.15), ("colombian", 0.13),
            ("chilean", 0.08),
        ),
        0.52, 0.62,
    ),
}
# fmt: on

# Where people of a culture usually sit within a region; anyone else is placed by office weight.
HOME_OFFICES: dict[str, tuple[str, ...]] = {
    "british": ("Europe/London",),
    "german": ("Europe/Berlin",),
    "french": ("Europe/Paris",),
    "dutch": ("Europe/Amsterdam",),
    "spanish": ("Europe/Madrid",),
    "italian": ("Europe/London", "Europe/Paris", "Europe/Berlin"),
    "polish": ("Europe/Warsaw",),
    "nordic": ("Europe/Stockholm",),
    "arabic": ("Asia/Dubai", "Europe/Paris"),
    "african": ("Africa/Johannesburg", "Europe/London"),
    "south_asian": ("Asia/Kolkata", "Europe/London", "Asia/Dubai", "Asia/Singapore"),
    "chinese": ("Asia/Shanghai", "Asia/Singapore"),
    "japanese": ("Asia/Tokyo",),
    "korean": ("Asia/Singapore", "Australia/Sydney"),
    "australian": ("Australia/Sydney", "Australia/Melbourne"),
    "filipino": ("Asia/Manila",),
    "malay_singapore": ("Asia/Singapore",),
    "brazilian": ("America/Sao_Paulo",),
    "mexican": ("America/Mexico_City",),
    "argentine": ("America/Argentina/Buenos_Aires",),
    "colombian": ("America/Bogota",),
    "chilean": ("America/Santiago",),
    "french_canadian": ("America/Toronto",),
}
