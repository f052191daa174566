#!/usr/bin/env python3
# ruff: noqa: E501
# (long lines are the directory text itself)
"""Build directory/starter.json, the shipped starter community directory.

Everything here is FICTIONAL: the town of Haverleigh (Wendleshire), its villages,
venues, organisations, people, web addresses (reserved ``.example`` domain) and
phone numbers (Ofcom's drama ranges 01632 960xxx and 07700 900xxx).

The output is one Open Referral UK / HSDS v3 list page (the shape of a feed's
``/services`` response) whose ``contents`` are full service objects.

The build is deterministic: there is no randomness, and every id is a uuid5 of
a fixed namespace and a readable key, so running this again gives a
byte-identical file.

    python directory/build_starter.py
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

OUT = Path(__file__).resolve().parent / "starter.json"

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://linkworker.example/directory/starter")


def uid(*parts: object) -> str:
    """A stable uuid for an entity, from a readable key."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


TOWN = "Haverleigh"
COUNTY = "Wendleshire"
TAXONOMY = "linkworker-activities"

# code: (term, description)
CATEGORIES = {
    "walking-exercise": ("Walking and exercise", "Health walks, gentle exercise, sport and physical activity."),
    "arts-music": ("Arts and music", "Choirs, art, crafts, writing and music groups."),
    "mens-sheds": ("Men's sheds", "Community workshops for making, mending and conversation."),
    "gardening": ("Gardening and outdoors", "Allotments, community gardens and conservation volunteering."),
    "befriending": ("Befriending", "Company and conversation: befriending calls and visits, lunch clubs, social groups."),
    "carers": ("Carers' support", "Support, information and breaks for unpaid carers."),
    "bereavement": ("Bereavement", "Support after the death of someone close."),
    "money-debt": ("Money and debt advice", "Benefits checks, debt advice, budgeting and affordable credit."),
    "food": ("Food", "Food banks, community fridges and pantries, cooking skills and shared meals."),
    "housing": ("Housing advice", "Help with housing problems, homelessness, tenancies, repairs and adaptations."),
    "digital": ("Digital skills", "Help to get online and use phones, tablets, computers and the NHS App."),
    "employment": ("Employment and volunteering", "Job search, skills, English practice and volunteering."),
    "mental-wellbeing": ("Mental wellbeing", "Talking therapies, peer support and activities for mental health."),
    "long-term-conditions": ("Long-term condition support", "Peer support and self-management for long-term health conditions."),
}

ACCESS_FULL = "Step-free access, accessible toilet, hearing loop"

# Venues. address_2 is the village for venues outside the town; the post town
# (city) is always Haverleigh.
VENUES = {
    "library": dict(
        name="Haverleigh Library", address_1="14 Market Street", postal_code="HV1 2AB",
        latitude=52.205310, longitude=-1.511820,
        description="Town-centre library with a ground-floor community room and free public computers.",
        access="Step-free entrance, lift to the first floor, accessible toilet, hearing loop at the enquiry desk and in the community room",
        transportation="Two minutes' walk from the bus station (routes 4, 7 and 12).",
    ),
    "millbrook": dict(
        name="Millbrook Community Centre", address_1="Millbrook Road", postal_code="HV2 5DT",
        latitude=52.198740, longitude=-1.523110,
        description="Community centre on the Millbrook estate with a main hall, kitchen and two meeting rooms.",
        access="Step-free access, accessible toilet, hearing loop in the main hall, free parking with three blue badge bays",
        transportation="Route 7 bus stops outside.",
    ),
    "stmarys": dict(
        name="St Mary's Church Hall", address_1="Church Lane", postal_code="HV1 3EW",
        latitude=52.207120, longitude=-1.508940,
        description="Church hall behind St Mary's parish church, with a kitchen and a small garden.",
        access="Ramped entrance by the side door, accessible toilet, no hearing loop",
    ),
    "wesley": dict(
        name="Wesley Rooms, Haverleigh Methodist Church", address_1="2 Station Road", postal_code="HV1 4HQ",
        latitude=52.203950, longitude=-1.506110,
        description="Bright meeting rooms next to the Methodist church, opposite the railway station.",
        access=ACCESS_FULL + ", chairs with arms available",
        transportation="Opposite Haverleigh railway station.",
    ),
    "park": dict(
        name="Victoria Park (meet at the bandstand)", address_1="Park Road", postal_code="HV1 5LP",
        latitude=52.209680, longitude=-1.516550,
        description="Town park with level tarmac paths, a bandstand, a sensory garden and a café with public toilets.",
        access="Level tarmac paths, benches every 200 metres, accessible toilet at the park café",
    ),
    "allotments": dict(
        name="Brook Lane Allotments (community plot)", address_1="Brook Lane", postal_code="HV2 7NR",
        latitude=52.195120, longitude=-1.529050,
        description="Council allotment site; the community plot is next to the main gate and has a covered shelter.",
        access="Wide bark paths to the community plot, raised beds at seated height, compost toilet only (no accessible toilet)",
    ),
    "leisure": dict(
        name="Haverleigh Leisure Centre", address_1="Vale Way", postal_code="HV2 6PF",
        latitude=52.197330, longitude=-1.514020,
        description="Leisure centre with a 25 metre pool, learner pool, sports hall and studio.",
        access="Step-free access, pool hoist, accessible changing room, hearing loop at reception",
        transportation="Routes 4 and 12 stop on Vale Way; free car park.",
    ),
    "cafe": dict(
        name="Riverside Café", address_1="22 Bridge Street", postal_code="HV1 1RB",
        latitude=52.202880, longitude=-1.515160,
        description="Independent café by the river with a quieter back room.",
        access="Step-free entrance, accessible toilet, quieter back room on request",
    ),
    "surgery": dict(
        name="Vale Medical Practice (community meeting room)", address_1="Orchard Road", postal_code="HV2 4SU",
        latitude=52.201020, longitude=-1.526880,
        description="GP surgery; the community meeting room is on the ground floor, signed from reception.",
        access=ACCESS_FULL + ", blue badge parking",
    ),
    "mosque": dict(
        name="Masjid Noor Community Room", address_1="41 Albert Street", postal_code="HV1 6TG",
        latitude=52.208440, longitude=-1.502730,
        description="Community room at the side of Masjid Noor, open to people of all faiths and none.",
        access="Step-free side entrance, accessible toilet, separate women's entrance",
    ),
    "fennick": dict(
        name="Fennick Green Village Hall", address_1="The Green", address_2="Fennick Green", postal_code="HV3 8AW",
        latitude=52.231050, longitude=-1.476120,
        description="Village hall on the green, with a kitchen and a small car park.",
        access=ACCESS_FULL,
        transportation="Route 21 bus from Haverleigh, hourly (not Sundays).",
    ),
    "wendle": dict(
        name="Lower Wendle Reading Room", address_1="Mill Street", address_2="Lower Wendle", postal_code="HV3 9DL",
        latitude=52.242180, longitude=-1.490350,
        description="Small village hall with one room and a kitchenette.",
        access="One step at the entrance (portable ramp on request), no accessible toilet",
    ),
    "saxby": dict(
        name="Saxby Cross Memorial Hall", address_1="High Street", address_2="Saxby Cross", postal_code="HV4 2BD",
        latitude=52.172080, longitude=-1.558930,
        description="Village memorial hall with a main hall and a workshop building behind.",
        access=None,  # no accessibility information supplied
    ),
    "advice": dict(
        name="Haverleigh Advice Centre", address_1="7 Sheep Street", postal_code="HV1 2JN",
        latitude=52.204760, longitude=-1.510030,
        description="Advice centre with ground-floor interview rooms.",
        access=ACCESS_FULL + ", private interview rooms",
    ),
    "kingsway": dict(
        name="Kingsway Baptist Church", address_1="Kingsway", postal_code="HV2 3PX",
        latitude=52.199550, longitude=-1.508440,
        description="Church with a large hall used by the foodbank.",
        access="Step-free access by the car park entrance, accessible toilet",
    ),
    "hub": dict(
        name="Vale Works Hub", address_1="21 High Street", postal_code="HV1 2LY",
        latitude=52.205980, longitude=-1.512970,
        description="Shared offices on the first floor above the opticians.",
        access="First floor with a lift, accessible toilet on the ground floor",
    ),
    "staidans": dict(
        name="St Aidan's Hospice Day Centre", address_1="Hollybush Lane", postal_code="HV2 8QA",
        latitude=52.193210, longitude=-1.536070,
        description="Hospice day centre with quiet rooms and a garden.",
        access="Step-free throughout, accessible toilets, hearing loop, free parking",
    ),
    "carershub": dict(
        name="Wendleshire Carers Hub", address_1="Unit 3, Castle Yard", postal_code="HV1 7BN",
        latitude=52.206670, longitude=-1.518220,
        description="Drop-in centre and offices of Wendleshire Carers Hub.",
        access=ACCESS_FULL + ", private room for one-to-one conversations",
    ),
    "countrypark": dict(
        name="Haverleigh Country Park (meet at the visitor centre)", address_1="Lakeside Drive", postal_code="HV2 9RE",
        latitude=52.188420, longitude=-1.501270,
        description="Country park around a lake, with a visitor centre and café.",
        access="Compacted gravel paths with some slopes, accessible toilet at the visitor centre, blue badge parking",
    ),
    "firestation": dict(
        name="The Old Fire Station Arts Centre", address_1="Fire Station Yard, Union Street", postal_code="HV1 3SZ",
        latitude=52.204190, longitude=-1.504520,
        description="Arts centre in the old fire station, with two studios and a small gallery.",
        access="Ground-floor studio is step-free; first-floor studio by stairs only; accessible toilet on the ground floor",
    ),
    "civic": dict(
        name="Haverleigh Civic Offices (customer service centre)", address_1="Bridge Street", postal_code="HV1 1AA",
        latitude=52.202410, longitude=-1.513770,
        description="District council offices; the customer service centre is on the ground floor.",
        access=ACCESS_FULL + ", BSL video interpreting on request",
    ),
    "youth": dict(
        name="Vale Youth Hub", address_1="5 Tanner's Row", postal_code="HV1 4JW",
        latitude=52.203110, longitude=-1.507390,
        description="Youth centre with a drop-in space, music room and quiet room.",
        access="Step-free access, accessible toilet",
    ),
}

ORGS = {
    "libraries": ("Wendleshire Libraries", "The county council's library service, which runs Haverleigh Library.", "https://libraries.wendleshire.example", "haverleigh.library@wendleshire.example"),
    "active": ("Active Wendleshire", "Not-for-profit leisure trust running Haverleigh Leisure Centre and community activity programmes.", "https://www.activewendleshire.example", "hello@activewendleshire.example"),
    "walks": ("Haverleigh Health Walks", "Volunteer-led scheme offering free, short, friendly walks in and around Haverleigh.", "https://www.haverleighwalks.example", "walks@haverleighwalks.example"),
    "parkrun": ("Haverleigh Country Park parkrun event team", "Volunteer team that organises the free weekly timed 5k at Haverleigh Country Park.", "https://www.haverleighparkrun.example", "haverleigh@parkrun-events.example"),
    "choir": ("Vale Voices", "Non-audition community choir for Haverleigh and the villages.", "https://www.valevoices.example", "sing@valevoices.example"),
    "ofs": ("The Old Fire Station Arts", "Community arts charity running studios, classes and exhibitions in Haverleigh.", "https://www.oldfirestationarts.example", "info@oldfirestationarts.example"),
    "shed": ("Haverleigh Men's Shed", "Community workshop where people (mostly, but not only, men) make, mend and chat.", "https://www.haverleighshed.example", "shed@haverleighshed.example"),
    "saxbyshed": ("Saxby Cross Men's Shed", "Small village shed in the workshop behind Saxby Cross Memorial Hall.", "https://www.saxbycrossshed.example", "saxbycrossshed@mail.example"),
    "growers": ("Brook Lane Growers", "Community group running the shared plot at Brook Lane Allotments.", "https://www.brooklanegrowers.example", "grow@brooklanegrowers.example"),
    "wildlife": ("Wendleshire Wildlife Volunteers", "Conservation volunteering charity caring for green spaces across Wendleshire.", "https://www.wendleshirewildlife.example", "volunteer@wendleshirewildlife.example"),
    "friendspark": ("Friends of Victoria Park", "Volunteer group that looks after the flower beds and sensory garden in Victoria Park.", "https://www.friendsofvictoriapark.example", "friends@friendsofvictoriapark.example"),
    "orchard": ("Fennick Green Orchard Group", "Village group looking after the community orchard behind Fennick Green Village Hall.", "https://www.fennickgreen.example/orchard", "orchard@fennickgreen.example"),
    "agewell": ("Haverleigh Age Well", "Local charity for older people: befriending, lunch clubs, activities and information.", "https://www.haverleighagewell.example", "info@haverleighagewell.example"),
    "carers": ("Wendleshire Carers Hub", "Charity supporting unpaid carers of all ages across Wendleshire.", "https://www.wendleshirecarers.example", "hello@wendleshirecarers.example"),
    "staidans": ("St Aidan's Hospice", "Local hospice offering care for people with life-limiting illness and support for families, including after a death.", "https://www.staidanshospice.example", "familysupport@staidanshospice.example"),
    "churches": ("Fennick Green Churches Together", "The churches of Fennick Green, Lower Wendle and Saxby Cross working together.", "https://www.fennickchurches.example", "office@fennickchurches.example"),
    "advice": ("Haverleigh & District Advice Centre", "Independent charity giving free, confidential advice on money, benefits, debt, housing and work.", "https://www.haverleighadvice.example", "advice@haverleighadvice.example"),
    "credit": ("Vale Savers Credit Union", "Not-for-profit savings and loans co-operative for people who live or work in Wendleshire.", "https://www.valesavers.example", "members@valesavers.example"),
    "foodbank": ("Haverleigh Foodbank", "Emergency food for local people in crisis, run from Kingsway Baptist Church.", "https://www.haverleighfoodbank.example", "info@haverleighfoodbank.example"),
    "millbrook": ("Millbrook Community Association", "Residents' charity running Millbrook Community Centre and its food, digital and social projects.", "https://www.millbrookcommunity.example", "hello@millbrookcommunity.example"),
    "council": ("Haverleigh District Council", "The district council: housing, benefits, waste and local services.", "https://www.haverleigh-dc.example", "housing.options@haverleigh-dc.example"),
    "hia": ("Wendleshire Home Improvement Agency", "Helps older and disabled people stay safe and independent at home: repairs, adaptations and grants.", "https://www.wendleshirehia.example", "help@wendleshirehia.example"),
    "masjid": ("Masjid Noor Community Trust", "Community trust running classes and groups at Masjid Noor for the whole community.", "https://www.masjidnoor-haverleigh.example", "community@masjidnoor-haverleigh.example"),
    "valeworks": ("Vale Works", "Employment charity helping local people into work, training and volunteering.", "https://www.valeworks.example", "jobs@valeworks.example"),
    "volcentre": ("Wendleshire Volunteer Centre", "Matches people with volunteering roles in local charities and community groups.", "https://www.wendleshirevolunteers.example", "volunteer@wendleshirevolunteers.example"),
    "trust": ("Wendleshire Health and Care NHS Foundation Trust", "NHS trust providing community and mental health services in Wendleshire.", "https://www.wendleshirehealth.example", "enquiries@wendleshirehealth.example"),
    "wellbeing": ("Haverleigh Wellbeing Collective", "Peer-led mental health charity run by and for people with lived experience.", "https://www.haverleighwellbeing.example", "hello@haverleighwellbeing.example"),
    "pcn": ("Haverleigh Primary Care Network", "The GP practices of Haverleigh and the villages working together.", "https://www.haverleighpcn.example", "pcn.admin@haverleighpcn.example"),
    "breathe": ("Breathe Easy Haverleigh", "Volunteer-run support group for people living with lung conditions and their families.", "https://www.breatheeasyhaverleigh.example", "breatheeasy@mail.example"),
    "diabetes": ("Haverleigh Diabetes Support Group", "Peer support group for people living with type 1 or type 2 diabetes.", "https://www.haverleighdiabetes.example", "diabetesgroup@mail.example"),
    "arthritis": ("Haverleigh Arthritis Support Group", "Volunteer group offering gentle exercise and support for people with arthritis and joint pain.", "https://www.haverleigharthritis.example", "arthritisgroup@mail.example"),
    "stroke": ("Haverleigh Stroke Club", "Social club for stroke survivors and their families.", "https://www.haverleighstroke.example", "strokeclub@mail.example"),
    "dementia": ("Dementia Friendly Haverleigh", "Community alliance working to make Haverleigh a good place to live with dementia.", "https://www.dementiafriendlyhaverleigh.example", "hello@dementiafriendlyhaverleigh.example"),
    "deaf": ("Wendleshire Deaf Club", "Social club for Deaf and hard of hearing people, run in British Sign Language.", "https://www.wendleshiredeafclub.example", "deafclub@mail.example"),
    "polska": ("Polska Wendleshire", "Polish community association for Haverleigh and Wendleshire.", "https://www.polskawendleshire.example", "kontakt@polskawendleshire.example"),
    "youth": ("Vale Youth Hub", "Youth charity for young people aged 11 to 18 in Haverleigh.", "https://www.valeyouthhub.example", "hello@valeyouthhub.example"),
    "riverside": ("Riverside Café", "Independent café on Bridge Street that hosts community tables.", "https://www.riversidecafe-haverleigh.example", "hello@riversidecafe-haverleigh.example"),
    "methodist": ("Haverleigh Methodist Church", "Methodist church hosting community groups in the Wesley Rooms.", "https://www.haverleighmethodist.example", "wesleyrooms@haverleighmethodist.example"),
}

LANGS = {
    "en": "English",
    "pl": "Polish",
    "ur": "Urdu",
    "bfi": "British Sign Language",
}

# --- schedules ---------------------------------------------------------------

DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
             "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
ORDINALS = {"1": "First", "2": "Second", "3": "Third", "4": "Fourth", "-1": "Last"}


def _time(hhmm: str) -> str:
    h, m = (int(x) for x in hhmm.split(":"))
    if (h, m) == (12, 0):
        return "12 noon"
    suffix = "am" if h < 12 else "pm"
    h12 = h if h <= 12 else h - 12
    return f"{h12}{suffix}" if m == 0 else f"{h12}:{m:02d}{suffix}"


def _weekly_days(byday: str, interval: int) -> str:
    days = byday.split(",")
    if days == ["MO", "TU", "WE", "TH", "FR"]:
        return "Monday to Friday"
    if interval == 2:
        return "Every other " + " and ".join(DAY_NAMES[d] for d in days)
    names = [DAY_NAMES[d] + "s" for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _monthly_days(byday: str) -> str:
    parts = byday.split(",")
    ords = [p[:-2] for p in parts]
    day = DAY_NAMES[parts[0][-2:]]
    words = [ORDINALS[o] for o in ords]
    words = [words[0]] + [w.lower() for w in words[1:]]
    return " and ".join(words) + f" {day} of the month"


def weekly(byday, opens=None, closes=None, note=None, interval=1, description=None):
    return dict(freq="WEEKLY", byday=byday, opens=opens, closes=closes, note=note,
                interval=interval, description=description)


def monthly(byday, opens=None, closes=None, note=None, description=None):
    return dict(freq="MONTHLY", byday=byday, opens=opens, closes=closes, note=note,
                interval=1, description=description)


def appointment(description, byday=None, freq="WEEKLY"):
    """By appointment: no opening times."""
    return dict(freq=freq if byday else None, byday=byday, opens=None, closes=None,
                note=None, interval=1, description=description)


def build_schedule(key: str, s: dict) -> dict:
    out = {"id": uid(key)}
    if s["freq"]:
        out["freq"] = s["freq"]
        if s["interval"] != 1:
            out["interval"] = s["interval"]
        out["byday"] = s["byday"]
    if s["opens"]:
        out["opens_at"] = s["opens"] + ":00"
        out["closes_at"] = s["closes"] + ":00"
    desc = s["description"]
    if desc is None:
        days = (_weekly_days(s["byday"], s["interval"]) if s["freq"] == "WEEKLY"
                else _monthly_days(s["byday"]))
        desc = f"{days}, {_time(s['opens'])} to {_time(s['closes'])}"
        if s["note"]:
            desc += ", " + s["note"]
    out["description"] = desc
    return out


# --- costs -------------------------------------------------------------------

def free(desc="No charge"):
    return ("Free", 0, desc)


def per_session(amount, desc="Per session, pay on the day"):
    return ("Per session", amount, desc)


def donation(desc="Free; donations welcome"):
    return ("Donation welcome", 0, desc)


# --- the services ------------------------------------------------------------
# Each entry: name, org, venues, cats, description, eligibility, ages (min, max),
# fees, costs, schedules, assured (ISO date), and optional status, alert,
# langs, contact (name, title), mobile (use a 07700 number), apply.

S = []


def service(**kw):
    S.append(kw)


# Walking and exercise
service(
    name="Haverleigh Health Walks", org="walks", venues=["park"], cats=["walking-exercise", "mental-wellbeing"],
    description="Free, friendly walks of 30 to 60 minutes led by trained volunteers, starting from the bandstand in Victoria Park. Walks go at the pace of the slowest walker and finish with an optional cuppa at the park café. A good first step back into activity.",
    eligibility="Adults of any fitness level who can walk for 20 minutes without stopping.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("TU", "10:00", "11:00"), weekly("TH", "10:30", "11:30", note="shorter route for beginners")],
    assured="2026-10-14", alert="From 1 December the Thursday walk starts from the park café, not the bandstand, while the bandstand is repaired.",
    contact=("Maureen Oddington", "Walks coordinator"), apply="Just turn up; please arrive 10 minutes early on your first walk to fill in a short registration form.",
)
service(
    name="Fennick Green Village Stroll", org="walks", venues=["fennick"], cats=["walking-exercise", "befriending"],
    description="A gentle one-hour stroll around Fennick Green and along the old railway path, led by local volunteers. Walkers stop at the village hall afterwards for tea and a chat.",
    eligibility="Adults; the route is level but has some gravel sections.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("FR", "10:00", "11:00")],
    assured="2025-09-18", contact=("Dennis Hollowell", "Volunteer walk leader"), mobile=True,
    apply="Just turn up at the village hall.",
)
service(
    name="Chair Yoga", org="active", venues=["wesley"], cats=["walking-exercise", "long-term-conditions"],
    description="Gentle yoga done seated or standing with a chair for support, led by a qualified instructor. Helps with flexibility, balance and relaxation and suits people with limited mobility or long-term conditions.",
    eligibility="Adults; suitable for people with limited mobility. Tell the instructor about any health conditions.", ages=(18, None),
    fees="£3.50 per session.", costs=[per_session(3.5)],
    schedules=[weekly("MO", "11:00", "12:00"), weekly("WE", "14:00", "15:00")],
    assured="2026-09-02", contact=("Priya Lomax", "Community activity instructor"),
    apply="Just turn up, or book a place by phone.",
)
service(
    name="Haverleigh Country Park parkrun", org="parkrun", venues=["countrypark"], cats=["walking-exercise", "mental-wellbeing"],
    description="A free, timed 5k every Saturday morning around the lake at Haverleigh Country Park. You can walk, jog or run, and there is always a volunteer tail walker so no one finishes last. Volunteering (marshalling, timekeeping) is just as welcome as taking part.",
    eligibility="Everyone; children under 11 must stay within arm's reach of an adult.", ages=(0, None),
    fees="Free. Register once online and bring your barcode.", costs=[free("No charge; register once online")],
    schedules=[weekly("SA", "09:00", "10:00")],
    assured="2026-08-20", contact=("Gareth Pendle", "Event director"),
    apply="Register once online, print your barcode and turn up.",
)
service(
    name="Walking Football (50+)", org="active", venues=["leisure"], cats=["walking-exercise", "mental-wellbeing"],
    description="Small-sided football at walking pace: no running, no tackling and no ball above head height. A friendly, sociable session for people getting back into sport.",
    eligibility="Adults aged 50 and over. Women and men welcome.", ages=(50, None),
    fees="£3.50 per session; first session free.", costs=[per_session(3.5, "Per session; your first session is free")],
    schedules=[weekly("WE", "10:00", "11:00")],
    assured="2026-07-09", contact=("Tom Ashdown", "Sports development officer"),
    apply="Just turn up in trainers.",
)
service(
    name="Gentle Swim", org="active", venues=["leisure"], cats=["walking-exercise", "long-term-conditions"],
    description="A quiet swim session in the warmer learner pool with lanes for slow swimming and aqua walking. A lifeguard can help with the pool hoist.",
    eligibility="Adults, including people with long-term conditions or recovering from injury.", ages=(18, None),
    fees="£3.20 per session (£2.20 with a Wendleshire Leisure Card).", costs=[per_session(3.2), ("Leisure Card", 2.2, "Per session with a Wendleshire Leisure Card")],
    schedules=[weekly("TU,TH", "13:00", "14:00")],
    assured="2026-10-30", alert="The learner pool is closed for maintenance from 5 to 16 January; Gentle Swim moves to lane 1 of the main pool.",
    contact=("Tom Ashdown", "Sports development officer"), apply="Just turn up; pay at reception.",
)
service(
    name="Strength and Balance Classes", org="agewell", venues=["stmarys", "fennick"], cats=["walking-exercise", "long-term-conditions"],
    description="A 24-week falls prevention programme of exercises to build leg strength and steadiness, taught by a postural stability instructor. Classes are seated and standing and you progress at your own pace.",
    eligibility="People aged 60 and over who are worried about falling or have had a fall.", ages=(60, None),
    fees="£2 per class.", costs=[per_session(2)],
    schedules=[weekly("TU", "14:00", "15:00", note="at St Mary's Church Hall"), weekly("TH", "10:00", "11:00", note="at Fennick Green Village Hall")],
    assured="2026-06-17", contact=("Carol Whitlock", "Activities coordinator"),
    apply="Self-refer or referral from a link worker or GP; a short assessment is done at the first class.",
)
service(
    name="Sisters' Walking Group", org="masjid", venues=["mosque", "park"], cats=["walking-exercise", "befriending"],
    description="A women-only walking group that meets at Masjid Noor and walks to Victoria Park and back. The pace is gentle and the group chats in English and Urdu.",
    eligibility="Women aged 16 and over, of any faith or none.", ages=(16, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("MO", "10:00", "11:00", note="term time only")],
    assured="2026-09-25", langs=["en", "ur"], contact=("Nasreen Akhtar", "Women's group organiser"),
    apply="Just turn up at the women's entrance.",
)
service(
    name="Arthritis Exercise and Support Group", org="arthritis", venues=["millbrook"], cats=["long-term-conditions", "walking-exercise"],
    description="Gentle exercises for stiff and painful joints followed by tea and a talk or discussion. Members share tips on living well with arthritis and joint pain.",
    eligibility="Adults with arthritis or long-term joint pain; partners welcome.", ages=(18, None),
    fees="£2.50 per session.", costs=[per_session(2.5)],
    schedules=[weekly("WE", "13:30", "15:00")],
    assured="2026-08-05", contact=("Joan Fairbrother", "Group secretary"), mobile=True,
    apply="Just turn up.",
)

# Arts and music
service(
    name="Vale Voices Community Choir", org="choir", venues=["wesley"], cats=["arts-music", "mental-wellbeing"],
    description="A friendly, non-audition choir singing pop, folk and gospel, learned by ear with no need to read music. The choir performs a few times a year, but joining in performances is optional.",
    eligibility="Adults and young people aged 16 and over.", ages=(16, None),
    fees="£4 per session; first two sessions free; reduced rate available.", costs=[per_session(4, "Per session; first two sessions free"), ("Reduced rate", 2, "Per session for people on benefits")],
    schedules=[weekly("TH", "19:00", "20:30", note="not in August")],
    assured="2026-09-11", contact=("Helen Marsh", "Musical director"),
    apply="Just turn up or email first.",
)
service(
    name="Singing for Better Breathing", org="breathe", venues=["stmarys"], cats=["arts-music", "long-term-conditions"],
    description="Singing and breathing exercises designed for people with COPD, asthma and other lung conditions, led by a trained singing-for-lung-health leader. Sessions are seated and no singing experience is needed.",
    eligibility="Adults with a lung condition, and their carers.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[monthly("2WE,4WE", "14:00", "15:00")],
    assured="2026-07-22", contact=("Lorna Beckwith", "Group leader"), mobile=True,
    apply="Just turn up, or ring first if you use oxygen.",
)
service(
    name="Open Art Club", org="ofs", venues=["firestation"], cats=["arts-music", "befriending"],
    description="A relaxed, self-directed art session in the ground-floor studio with paints, pastels and clay available. An artist is on hand for tips, and there is tea and plenty of conversation.",
    eligibility="Adults of all abilities.", ages=(18, None),
    fees="£5 per session including materials.", costs=[per_session(5, "Per session, materials included")],
    schedules=[weekly("WE", "10:00", "12:30")],
    assured="2026-10-02", contact=("Imogen Carver", "Community arts lead"),
    apply="Just turn up.",
)
service(
    name="Creative Writing Circle", org="libraries", venues=["library"], cats=["arts-music", "mental-wellbeing"],
    description="A small, supportive group that writes together from a prompt and shares work if they wish. Poetry, memoir and stories all welcome; beginners especially.",
    eligibility="Adults.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[monthly("1TU,3TU", "18:00", "19:30")],
    assured="2026-06-30", contact=("Ruth Aldersey", "Library officer"),
    apply="Book a place at the library or by phone; space for 12.",
)
service(
    name="Ukulele for Beginners", org="ofs", venues=["firestation"], cats=["arts-music"],
    description="Learn a few chords and play along to well-known songs in a relaxed group. Ukuleles are available to borrow.",
    eligibility="Adults and young people aged 14 and over (under 16s with an adult).", ages=(14, None),
    fees="Free; donations welcome for instrument upkeep.", costs=[donation("Free; donations welcome for instrument upkeep")],
    schedules=[weekly("MO", "18:30", "19:30")],
    assured="2025-11-04", status="temporarily closed",
    alert="Paused while the group looks for a new volunteer leader. Contact the Old Fire Station to hear when it restarts.",
    contact=("Imogen Carver", "Community arts lead"), apply="Contact the arts centre.",
)
service(
    name="Knit and Natter", org="methodist", venues=["wesley"], cats=["arts-music", "befriending"],
    description="Bring your knitting, crochet or sewing, or learn from scratch with donated wool and needles. Much of the group's work goes to the hospital neonatal unit and the foodbank's winter appeal.",
    eligibility="Everyone aged 16 and over.", ages=(16, None),
    fees="Free; donations welcome for tea and cake.", costs=[donation("Free; donations welcome for tea and cake")],
    schedules=[weekly("FR", "14:00", "16:00")],
    assured="2026-08-27", contact=("Pat Greenhalgh", "Group organiser"), mobile=True,
    apply="Just turn up.",
)
service(
    name="Pottery for Wellbeing", org="ofs", venues=["firestation"], cats=["arts-music", "mental-wellbeing"],
    description="An eight-week hand-building pottery course for people who are feeling low, anxious or isolated. The group is small and calm and no experience is needed; you keep everything you make.",
    eligibility="Adults referred by a link worker, GP or talking therapies service.", ages=(18, None),
    fees="Free on referral.", costs=[free("Free on referral")],
    schedules=[weekly("TH", "13:30", "15:30", note="eight-week courses starting January, April and September")],
    assured="2026-05-23", contact=("Imogen Carver", "Community arts lead"),
    apply="Referral from a link worker, GP or talking therapies; self-referral by email also accepted.",
)

# Men's sheds
service(
    name="Haverleigh Men's Shed", org="shed", venues=["millbrook"], cats=["mens-sheds", "befriending"],
    description="A fully equipped woodwork and metalwork shed behind Millbrook Community Centre where members work on their own projects and make bird boxes and benches for the community. Tea breaks are as important as the tools.",
    eligibility="Adults aged 18 and over; men and women welcome. New members get a tool safety induction.", ages=(18, None),
    fees="£2 per session towards materials and running costs.", costs=[per_session(2, "Per session towards materials")],
    schedules=[weekly("TU,TH", "09:30", "13:00")],
    assured="2026-09-18", contact=("Keith Bramley", "Shed chair"),
    apply="Drop in for a tour and a cuppa, or ask your link worker to introduce you.",
)
service(
    name="Saxby Cross Men's Shed", org="saxbyshed", venues=["saxby"], cats=["mens-sheds", "gardening"],
    description="A small village shed in the workshop behind the memorial hall, with woodworking tools and a vegetable patch. Members also help look after the village green and planters.",
    eligibility="Adults aged 18 and over.", ages=(18, None),
    fees="£10 a year membership.", costs=[("Annual membership", 10, "Per year")],
    schedules=[weekly("WE", "10:00", "13:00")],
    assured="2025-06-12", contact=("Alan Pritchard", "Shed secretary"), mobile=True,
    apply="Ring Alan before your first visit.",
)
service(
    name="Haverleigh Repair Café", org="shed", venues=["millbrook"], cats=["mens-sheds", "employment"],
    description="Bring broken lamps, toasters, clothes, bikes or furniture and volunteers from the Men's Shed will try to mend them with you. Also a good way to volunteer if you like fixing things.",
    eligibility="Everyone; under 16s with an adult.", ages=(0, None),
    fees="Free; donations welcome.", costs=[donation()],
    schedules=[monthly("2SA", "10:00", "13:00")],
    assured="2026-10-09", contact=("Keith Bramley", "Shed chair"),
    apply="Just turn up with your item; last repairs taken at 12:30.",
)
service(
    name="Fennick Green Community Shed", org="churches", venues=["fennick"], cats=["mens-sheds", "befriending"],
    description="A shed-style workshop in the village hall's old garage, open to anyone who enjoys making and mending. Members restore garden tools and make toys for the church Christmas fair.",
    eligibility="Adults aged 18 and over.", ages=(18, None),
    fees="£1.50 per session including tea.", costs=[per_session(1.5, "Per session, tea included")],
    schedules=[weekly("MO", "14:00", "16:30")],
    assured="2026-07-01", contact=("Brian Tolley", "Shed volunteer"), mobile=True,
    apply="Just turn up.",
)
service(
    name="Woodwork for Beginners", org="shed", venues=["millbrook"], cats=["mens-sheds", "mental-wellbeing"],
    description="A six-week course at the Men's Shed covering safe use of hand tools and making a simple stool. Small groups of four, with patient volunteer tutors.",
    eligibility="Adults aged 18 and over; priority for people referred by a link worker.", ages=(18, None),
    fees="£15 for the six-week course; free on referral.", costs=[("Per course", 15, "Six-week course"), free("Free on referral from a link worker")],
    schedules=[weekly("FR", "10:00", "12:00", note="six-week courses through the year")],
    assured="2026-11-06", contact=("Keith Bramley", "Shed chair"),
    apply="Book by email or phone; link workers can reserve places.",
)

# Gardening and outdoors
service(
    name="Brook Lane Community Allotment", org="growers", venues=["allotments"], cats=["gardening", "mental-wellbeing"],
    description="A shared allotment plot where people grow fruit, vegetables and flowers together with no experience needed. Raised beds make it possible to garden seated, and the harvest is shared among volunteers and the community fridge.",
    eligibility="Adults; people with disabilities and mental health needs especially welcome.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("WE,SA", "10:00", "12:30", note="March to October; Saturdays only November to February")],
    assured="2026-08-12", contact=("Femi Adeyemi", "Growing coordinator"),
    apply="Just turn up at the main gate, or ring first and someone will meet you.",
)
service(
    name="Green Gym Conservation Volunteers", org="wildlife", venues=["countrypark"], cats=["gardening", "walking-exercise", "employment"],
    description="Outdoor conservation work such as hedge laying, path clearing and tree planting at Haverleigh Country Park. Tools, gloves and training are provided and each session starts with a warm-up.",
    eligibility="Adults aged 18 and over who can manage uneven ground.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("TU", "10:00", "14:00")],
    assured="2026-06-05", contact=("Owen Rushby", "Volunteer officer"),
    apply="Email or ring to book your first session.",
)
service(
    name="Victoria Park Gardening Volunteers", org="friendspark", venues=["park"], cats=["gardening", "employment"],
    description="Help care for the flower beds and sensory garden in Victoria Park alongside the park's gardener. A relaxed morning with a tea break in the café.",
    eligibility="Adults; light tasks available for people with limited mobility.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("TH", "09:30", "11:30", note="April to October")],
    assured="2026-09-04", contact=("Margaret Chalk", "Friends group secretary"), mobile=True,
    apply="Just turn up at the bandstand.",
)
service(
    name="Fennick Green Community Orchard", org="orchard", venues=["fennick"], cats=["gardening"],
    description="Volunteers prune, plant and harvest heritage apple and pear trees in the orchard behind the village hall. The group holds an apple day every October.",
    eligibility="Everyone; children with an adult.", ages=(0, None),
    fees="Free.", costs=[free()],
    schedules=[monthly("1SA", "10:00", "12:00")],
    assured="2026-02-10", status="temporarily closed",
    alert="Work parties are paused over the winter and will restart in March 2027.",
    contact=("Jill Harcourt", "Orchard group volunteer"), mobile=True, apply="Email to go on the mailing list.",
)
service(
    name="Surgery Wellbeing Garden", org="pcn", venues=["surgery"], cats=["gardening", "mental-wellbeing"],
    description="A small group tending the raised beds and herb garden beside Vale Medical Practice, supported by the practice's social prescribing team. Gentle tasks, good company and a cup of tea.",
    eligibility="Adults registered with a Haverleigh GP practice.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("FR", "13:30", "15:00", note="April to October")],
    assured="2026-10-21", contact=("Hannah Boyce", "Social prescribing link worker"),
    apply="Referral from a link worker or self-referral at reception.",
)

# Befriending
service(
    name="Telephone Befriending", org="agewell", venues=[], cats=["befriending", "mental-wellbeing"],
    description="A trained volunteer rings you for a friendly chat once or twice a week, at a time that suits you. Many people stay matched with the same volunteer for years.",
    eligibility="People aged 55 and over living in Haverleigh and the villages who feel lonely or isolated.", ages=(55, None),
    fees="Free.", costs=[free()],
    schedules=[appointment("Calls arranged with your volunteer; the office is open Monday to Friday 9am to 4pm.", "MO,TU,WE,TH,FR")],
    assured="2026-09-30", contact=("Carol Whitlock", "Befriending coordinator"),
    apply="Self-referral, or referral by a link worker, GP or family member with the person's consent.",
)
service(
    name="Home Visiting Befriending", org="agewell", venues=[], cats=["befriending"],
    description="A DBS-checked volunteer visits you at home for an hour a week for company, conversation or a short outing. Matching takes into account shared interests.",
    eligibility="People aged 65 and over who are housebound or rarely leave home. There is a waiting list.", ages=(65, None),
    fees="Free.", costs=[free()],
    schedules=[appointment("Visits arranged with your volunteer.")],
    assured="2026-07-15", alert="Waiting list currently around 10 weeks; telephone befriending can start sooner.",
    contact=("Carol Whitlock", "Befriending coordinator"), apply="Referral form from the Age Well office or website.",
)
service(
    name="Tuesday and Friday Lunch Club", org="agewell", venues=["stmarys"], cats=["befriending", "food"],
    description="A freshly cooked two-course lunch served at tables, followed by a quiz, bingo or a visiting speaker. Transport can be arranged for people who cannot get there on their own.",
    eligibility="People aged 60 and over.", ages=(60, None),
    fees="£6 for lunch and pudding; £3 return transport.", costs=[("Per meal", 6, "Two-course lunch"), ("Transport", 3, "Return minibus")],
    schedules=[weekly("TU,FR", "12:00", "14:00")],
    assured="2026-10-07", contact=("Sandra Pym", "Lunch club manager"),
    apply="Ring to book a place by the day before.",
)
service(
    name="Chatter and Natter Table", org="riverside", venues=["cafe"], cats=["befriending"],
    description="A reserved 'chatty table' in the café where anyone can sit down and start a conversation, hosted by a volunteer. Buy a drink if you would like one; you do not have to.",
    eligibility="Everyone aged 18 and over.", ages=(18, None),
    fees="Free; buy your own drinks.", costs=[free("No charge; drinks at café prices")],
    schedules=[weekly("WE", "10:00", "12:00")],
    assured="2026-08-19", contact=("Lucy Brennan", "Café owner"),
    apply="Just turn up and look for the table sign.",
)
service(
    name="Saxby Cross Friendship Club", org="churches", venues=["saxby"], cats=["befriending"],
    description="Afternoon social club with tea, cards and occasional outings for older residents of Saxby Cross.",
    eligibility="Older residents of Saxby Cross.", ages=(60, None),
    fees="£1 per session.", costs=[per_session(1)],
    schedules=[weekly("WE", "14:00", "16:00")],
    assured="2025-01-21", status="inactive",
    contact=("Rev. Anne Sowerby", "Team vicar"), apply="No longer running.",
)
service(
    name="Lower Wendle Coffee Morning", org="churches", venues=["wendle"], cats=["befriending"],
    description="An informal village coffee morning with homemade cake and a book swap. A good place to meet neighbours in Lower Wendle.",
    eligibility="Everyone.", ages=(None, None),
    fees="Free; donations welcome.", costs=[donation("Free; donations welcome for coffee and cake")],
    schedules=[weekly("SA", "10:00", "12:00")],
    assured="2025-05-06", contact=("Rev. Anne Sowerby", "Team vicar"),
    apply="Just turn up.",
)
service(
    name="Wendleshire Deaf Club", org="deaf", venues=["library"], cats=["befriending"],
    description="A social evening for Deaf and hard of hearing people run in British Sign Language, with games, news and guest speakers. Hearing people learning BSL are welcome.",
    eligibility="Deaf and hard of hearing adults, and BSL learners.", ages=(18, None),
    fees="£2 per session.", costs=[per_session(2)],
    schedules=[monthly("1FR", "18:30", "21:00")],
    assured="2026-04-09", langs=["bfi", "en"], contact=("Karen Dewsbury", "Club secretary"),
    apply="Just turn up. Contact by email or text rather than voice call.",
)

# Carers
service(
    name="Carers' Café", org="carers", venues=["cafe"], cats=["carers", "befriending"],
    description="A relaxed monthly get-together for unpaid carers, with a free drink and cake and a Carers Hub worker on hand for advice. The person you care for is welcome to come too.",
    eligibility="Unpaid carers aged 18 and over, and the people they care for.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[monthly("1TH", "10:30", "12:00")],
    assured="2026-09-09", contact=("Debbie Marchant", "Carers support worker"),
    apply="Just turn up.",
)
service(
    name="Carers Support and Assessments", org="carers", venues=["carershub"], cats=["carers", "money-debt"],
    description="One-to-one support for unpaid carers, including help with a carer's assessment, carer's allowance, emergency plans and breaks. Appointments at the hub, by phone or at home.",
    eligibility="Unpaid carers aged 18 and over caring for someone in Wendleshire.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[appointment("By appointment, Monday to Friday. Drop-in Wednesdays 10am to 1pm.", "MO,TU,WE,TH,FR"),
               weekly("WE", "10:00", "13:00", note="drop-in")],
    assured="2026-10-16", contact=("Debbie Marchant", "Carers support worker"),
    apply="Self-referral by phone, email or online form; link workers can refer with consent.",
)
service(
    name="Young Carers Club", org="carers", venues=["youth"], cats=["carers", "mental-wellbeing"],
    description="A fortnightly club where young carers can have fun, relax and meet others who understand. Activities include games, crafts and trips in the school holidays.",
    eligibility="Young people aged 8 to 17 who help look after someone at home.", ages=(8, 17),
    fees="Free.", costs=[free()],
    schedules=[weekly("TH", "16:30", "18:00", interval=2, note="term time only")],
    assured="2026-03-30", contact=("Jordan Ellery", "Young carers worker"),
    apply="Referral from a school, parent, professional or the young person themselves.",
)
service(
    name="Haverleigh Memory Café", org="dementia", venues=["wesley"], cats=["carers", "long-term-conditions", "befriending"],
    description="A welcoming café for people living with dementia or memory problems and the people who care for them. Each session has music, reminiscence or a gentle activity, and a dementia adviser attends once a month.",
    eligibility="People with memory problems or dementia (diagnosed or not), and their carers.", ages=(None, None),
    fees="Free; donations welcome.", costs=[donation()],
    schedules=[monthly("2MO,4MO", "14:00", "16:00")],
    assured="2026-08-26", contact=("Gillian Forsyth", "Café coordinator"),
    apply="Just turn up.",
)
service(
    name="Urdu-speaking Carers Group", org="masjid", venues=["mosque"], cats=["carers", "befriending"],
    description="A monthly support group in Urdu and English for people looking after a family member. A Carers Hub worker joins every other month to help with forms and carer's assessments.",
    eligibility="Unpaid carers aged 18 and over; women and men meet in separate rooms.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[monthly("3SA", "11:00", "13:00")],
    assured="2026-06-24", langs=["ur", "en"], contact=("Imran Qureshi", "Community development worker"),
    apply="Just turn up or ring Imran.",
)

# Bereavement
service(
    name="Bereavement Support Group", org="staidans", venues=["staidans"], cats=["bereavement", "mental-wellbeing"],
    description="A facilitated group for adults who have been bereaved, whether or not the person who died was cared for by the hospice. Sessions give space to talk, listen and learn about grief.",
    eligibility="Adults bereaved at least six weeks ago.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("WE", "18:00", "19:30", interval=2)],
    assured="2026-09-23", contact=("Fiona Gatward", "Family support lead"),
    apply="Ring the family support team for a short chat before joining.",
)
service(
    name="Bereavement Counselling", org="staidans", venues=["staidans"], cats=["bereavement", "mental-wellbeing"],
    description="Up to eight one-to-one sessions with a trained bereavement counsellor, in person or by phone. For people whose grief feels overwhelming or stuck.",
    eligibility="Adults living in Wendleshire.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[appointment("By appointment, Monday to Friday including some evenings.", "MO,TU,WE,TH,FR")],
    assured="2026-07-29", alert="Current wait for a first appointment is about six weeks.",
    contact=("Fiona Gatward", "Family support lead"),
    apply="Self-referral by phone or referral from a GP or link worker.",
)
service(
    name="Fennick Green Bereavement Café", org="churches", venues=["fennick"], cats=["bereavement", "befriending"],
    description="A gentle, informal café for anyone who has lost someone, however long ago. Come for a chat, or just a quiet cup of tea with people who understand.",
    eligibility="Adults; no religious belief needed.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[monthly("2TU", "14:00", "16:00")],
    assured="2025-10-07", contact=("Rev. Anne Sowerby", "Team vicar"),
    apply="Just turn up.",
)
service(
    name="Walk and Talk Bereavement Group", org="staidans", venues=["countrypark"], cats=["bereavement", "walking-exercise"],
    description="A slow walk around the lake with others who have been bereaved, led by a hospice volunteer, followed by coffee at the visitor centre. Talking while walking side by side can feel easier than sitting in a room.",
    eligibility="Adults who have been bereaved.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[monthly("-1SU", "10:30", "12:00")],
    assured="2026-10-28", contact=("Fiona Gatward", "Family support lead"),
    apply="Just turn up at the visitor centre.",
)
service(
    name="Little Acorns Children's Bereavement Service", org="staidans", venues=["staidans"], cats=["bereavement", "mental-wellbeing"],
    description="Support for children and young people after the death of someone important, through one-to-one sessions and family activity days. Parents and carers get advice on talking to children about death.",
    eligibility="Children and young people aged 5 to 17 and their families.", ages=(5, 17),
    fees="Free.", costs=[free()],
    schedules=[appointment("By appointment; family activity days in school holidays.")],
    assured="2026-06-11", contact=("Fiona Gatward", "Family support lead"),
    apply="Referral from a parent, school, GP or professional.",
)

# Money and debt
service(
    name="Money and Debt Advice Drop-in", org="advice", venues=["advice"], cats=["money-debt", "housing"],
    description="Free, confidential advice on debt, benefits, bills and budgeting from trained advisers. Bring letters, bills and bank statements if you can.",
    eligibility="Anyone aged 16 and over living or working in the Haverleigh district.", ages=(16, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("MO,WE,FR", "09:30", "13:00", note="arrive early, places fill quickly"),
               appointment("Phone advice line Monday to Friday 10am to 4pm.", "MO,TU,WE,TH,FR")],
    assured="2026-11-04", contact=("Neil Hargreaves", "Advice services manager"),
    apply="Drop in, ring the advice line, or referral from a link worker.",
)
service(
    name="Benefits Check and Form Filling", org="advice", venues=["advice", "surgery"], cats=["money-debt"],
    description="A full benefits check to make sure you get everything you are entitled to, such as Pension Credit, Attendance Allowance or PIP, and help to fill in the forms. Appointments are also held monthly at Vale Medical Practice.",
    eligibility="Adults living in the Haverleigh district.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[appointment("By appointment, Tuesdays and Thursdays at the Advice Centre.", "TU,TH"),
               monthly("1WE", "09:00", "12:00", note="at Vale Medical Practice, by appointment")],
    assured="2026-08-14", contact=("Neil Hargreaves", "Advice services manager"),
    apply="Book by phone; link workers can book directly.",
)
service(
    name="Warm Homes Energy Advice", org="advice", venues=["millbrook"], cats=["money-debt", "housing"],
    description="Help with high energy bills, prepayment meters, energy debt and grants for insulation and heating. Advisers can speak to your supplier on your behalf.",
    eligibility="Adults living in Wendleshire; priority for people on low incomes or with health conditions made worse by the cold.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("TH", "10:00", "13:00", note="October to March"),
               appointment("Phone appointments all year, Monday to Friday.", "MO,TU,WE,TH,FR")],
    assured="2026-10-23", contact=("Sunita Rai", "Energy adviser"),
    apply="Drop in during the winter sessions or ring the advice line.",
)
service(
    name="Polish-language Advice Session", org="polska", venues=["library"], cats=["money-debt", "housing", "employment"],
    description="Monthly advice in Polish on benefits, housing, work rights and official letters, with a trained bilingual volunteer. Anything complex is referred on to the Advice Centre with an interpreter.",
    eligibility="Polish speakers aged 18 and over.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[monthly("1SA", "10:00", "13:00")],
    assured="2026-01-15", langs=["pl", "en"], contact=("Agnieszka Nowicka", "Volunteer adviser"),
    apply="Just turn up, or email in Polish or English.",
)
service(
    name="Vale Savers Credit Union", org="credit", venues=["library"], cats=["money-debt"],
    description="Affordable loans and a savings account you can pay into from as little as £1 a week, as a fairer alternative to doorstep lenders. The collection point in the library can help you open an account.",
    eligibility="Anyone aged 16 and over who lives or works in Wendleshire.", ages=(16, None),
    fees="Free to join; loans charged at a capped interest rate.", costs=[free("Free to join; loans at a capped interest rate")],
    schedules=[weekly("TH", "10:00", "12:00", note="collection point in the library foyer")],
    assured="2025-08-26", contact=("Derek Lyle", "Development officer"),
    apply="Join online or at the Thursday collection point with photo ID and proof of address.",
)

# Food
service(
    name="Haverleigh Foodbank", org="foodbank", venues=["kingsway"], cats=["food", "money-debt"],
    description="Three days of nutritionally balanced emergency food for people in crisis, plus toiletries and a warm welcome. A money adviser from the Advice Centre is at most sessions.",
    eligibility="People in crisis with a foodbank referral from an agency such as a link worker, GP, school or the Advice Centre.", ages=(None, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("TU,FR", "11:00", "14:00"), weekly("SA", "10:00", "12:00")],
    assured="2026-11-18", alert="Christmas: closed 25 December to 1 January; extra sessions on 22 and 23 December, 11am to 2pm.",
    contact=("Rachel Okonkwo", "Foodbank manager"),
    apply="Referral (e-voucher) needed from a referral agency; link workers can issue one.",
)
service(
    name="Millbrook Community Fridge", org="millbrook", venues=["millbrook"], cats=["food"],
    description="Surplus fresh food from local supermarkets, bakeries and allotments, free for anyone to take so it is not wasted. No referral and no questions asked.",
    eligibility="Everyone.", ages=(0, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("MO,WE,FR", "15:00", "17:00")],
    assured="2026-09-16", contact=("Sharon Dyer", "Centre manager"),
    apply="Just turn up; bring a bag.",
)
service(
    name="Millbrook Community Pantry", org="millbrook", venues=["millbrook"], cats=["food", "money-debt"],
    description="A membership food club: pay £4 a week and choose around £15 worth of groceries, including fresh fruit and vegetables. Members can also get help from a money adviser once a month.",
    eligibility="Adults living in HV1 or HV2 postcodes on a low income.", ages=(18, None),
    fees="£4 per weekly shop.", costs=[("Per week", 4, "Per weekly shop, about £15 of groceries")],
    schedules=[weekly("TH", "12:00", "15:00")],
    assured="2026-04-28", contact=("Sharon Dyer", "Centre manager"),
    apply="Sign up in person with proof of address.",
)
service(
    name="Cooking on a Budget", org="millbrook", venues=["millbrook"], cats=["food", "money-debt"],
    description="A six-week practical course in the community kitchen: cheap, healthy meals, using leftovers and cooking with a slow cooker or air fryer. Everyone takes home what they cook and a free recipe book.",
    eligibility="Adults aged 18 and over.", ages=(18, None),
    fees="Free; ingredients provided.", costs=[free("No charge; ingredients provided")],
    schedules=[weekly("TU", "10:00", "12:30", note="six-week courses starting each half term")],
    assured="2026-07-08", contact=("Sharon Dyer", "Centre manager"),
    apply="Book a place by phone or at reception.",
)
service(
    name="Pay-as-you-feel Community Café", org="millbrook", venues=["millbrook"], cats=["food", "befriending"],
    description="A hot two-course lunch made from surplus food by volunteers; pay what you can, in money or time. A friendly place to sit and eat with others.",
    eligibility="Everyone.", ages=(None, None),
    fees="Pay as you feel; donations welcome.", costs=[donation("Pay as you feel")],
    schedules=[weekly("WE", "12:00", "14:00")],
    assured="2026-06-03", contact=("Sharon Dyer", "Centre manager"),
    apply="Just turn up.",
)
service(
    name="Cook and Eat Together", org="masjid", venues=["mosque"], cats=["food", "befriending"],
    description="A weekly session where a small group cooks a simple, healthy meal together and then sits down to eat it. Recipes come from members' home cooking, from dal to shepherd's pie.",
    eligibility="Adults aged 18 and over.", ages=(18, None),
    fees="£2 per session.", costs=[per_session(2)],
    schedules=[weekly("SA", "12:00", "14:00")],
    assured="2026-08-21", langs=["en", "ur"], contact=("Imran Qureshi", "Community development worker"),
    apply="Book by phone; eight places each week.",
)

# Housing
service(
    name="Housing Options Drop-in", org="council", venues=["civic"], cats=["housing"],
    description="Advice from the council's housing options team if you are homeless, at risk of losing your home, or need to apply for social housing. If you are homeless tonight, ring the out-of-hours number.",
    eligibility="Anyone aged 16 and over in the Haverleigh district.", ages=(16, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("MO,TU,WE,TH,FR", "09:00", "16:00"),
               appointment("Out-of-hours emergency homelessness line, evenings and weekends.")],
    assured="2026-10-01", langs=["en", "bfi"], contact=("Marcus Fenwick", "Housing options team leader"),
    apply="Drop in, ring, or use the council's online duty-to-refer form.",
)
service(
    name="Tenancy Support Service", org="advice", venues=["advice"], cats=["housing", "money-debt"],
    description="A support worker helps you keep your tenancy: rent arrears, repairs disputes, deposits, eviction notices and moving home. Support lasts up to six months.",
    eligibility="Private and social tenants aged 18 and over in the Haverleigh district.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[appointment("By appointment, Monday to Thursday.", "MO,TU,WE,TH")],
    assured="2025-12-02", contact=("Neil Hargreaves", "Advice services manager"),
    apply="Referral from a link worker, landlord or the council, or self-referral.",
)
service(
    name="Handyperson and Home Adaptations", org="hia", venues=[], cats=["housing", "long-term-conditions"],
    description="Small repairs, grab rails, key safes and home safety checks by vetted handypeople, plus help applying for Disabled Facilities Grants. Helps people stay safe at home and come home from hospital sooner.",
    eligibility="People aged 60 and over, or disabled adults, living in Wendleshire.", ages=(18, None),
    fees="Labour £18 per hour; free for people on means-tested benefits; you pay for materials.", costs=[("Per hour", 18, "Labour per hour, plus materials"), free("Free labour for people on means-tested benefits")],
    schedules=[appointment("Home visits by appointment; phone line Monday to Friday 9am to 5pm.", "MO,TU,WE,TH,FR")],
    assured="2026-09-01", contact=("Steve Calloway", "Caseworker"),
    apply="Ring or refer online; link workers and occupational therapists can refer.",
)
service(
    name="Private Renters' Advice Clinic", org="council", venues=["library"], cats=["housing"],
    description="A monthly clinic with a council environmental health officer about damp, mould, disrepair and landlord problems. Bring photos and any letters from your landlord.",
    eligibility="Private tenants aged 18 and over in the Haverleigh district.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[monthly("3TU", "13:00", "16:00")],
    assured="2026-06-19", contact=("Marcus Fenwick", "Housing options team leader"),
    apply="Just turn up; 20-minute slots.",
)

# Digital
service(
    name="Library Digital Drop-in", org="libraries", venues=["library"], cats=["digital"],
    description="Friendly one-to-one help with phones, tablets, laptops, email, online shopping and staying safe online from library digital champions. Bring your own device or use a library computer.",
    eligibility="Adults aged 18 and over.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("TU", "14:00", "16:00"), weekly("SA", "10:00", "12:00")],
    assured="2026-11-11", contact=("Ruth Aldersey", "Library officer"),
    apply="Just turn up, or book a 30-minute slot.",
)
service(
    name="Tablet Loans and Get Online Sessions", org="millbrook", venues=["millbrook"], cats=["digital", "befriending"],
    description="Borrow a tablet with free data for three months and learn to use it in a small weekly group. Ideal for video calls with family, repeat prescriptions and online banking.",
    eligibility="Adults on a low income without a suitable device at home.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("MO", "10:00", "12:00")],
    assured="2026-07-24", contact=("Danny Whitehouse", "Digital inclusion worker"),
    apply="Referral from a link worker or self-referral by phone.",
)
service(
    name="Computer Class in English and Urdu", org="masjid", venues=["mosque"], cats=["digital", "employment"],
    description="Beginners' computer skills taught in English and Urdu: email, internet search, online forms and job applications. Laptops provided.",
    eligibility="Adults aged 16 and over; separate women's class on Wednesdays.", ages=(16, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("TU", "18:00", "19:30"), weekly("WE", "10:00", "11:30", note="women only")],
    assured="2026-09-07", langs=["en", "ur"], contact=("Imran Qureshi", "Community development worker"),
    apply="Ring or turn up to enrol.",
)
service(
    name="NHS App Help", org="pcn", venues=["surgery"], cats=["digital", "long-term-conditions"],
    description="Help from practice digital champions to set up and use the NHS App: repeat prescriptions, appointments, test results and your health record.",
    eligibility="Patients registered with a Haverleigh GP practice.", ages=(16, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("TH", "09:30", "12:00")],
    assured="2026-10-19", contact=("Hannah Boyce", "Social prescribing link worker"),
    apply="Book at reception; bring your phone and photo ID.",
)
service(
    name="Saxby Cross Silver Surfers", org="agewell", venues=["saxby"], cats=["digital", "befriending"],
    description="A monthly tea-and-tech afternoon where volunteers help older people with phones, tablets and video calls. No question is too basic.",
    eligibility="People aged 60 and over.", ages=(60, None),
    fees="£1 including tea.", costs=[per_session(1, "Per session, tea included")],
    schedules=[monthly("3WE", "14:00", "16:00")],
    assured="2025-07-08", contact=("Carol Whitlock", "Activities coordinator"),
    apply="Just turn up.",
)

# Employment and volunteering
service(
    name="Vale Works Job Club", org="valeworks", venues=["hub"], cats=["employment", "digital"],
    description="Help with CVs, job searching, applications and interview practice, with computers and free printing. Employment coaches can also help with confidence and getting back to work after ill health.",
    eligibility="Anyone aged 16 and over looking for work or training.", ages=(16, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("MO,TH", "10:00", "13:00")],
    assured="2026-08-28", contact=("Lewis Armitage", "Employment coach"),
    apply="Just turn up, or referral from Jobcentre Plus or a link worker.",
)
service(
    name="Wendleshire Volunteer Centre", org="volcentre", venues=["hub"], cats=["employment", "mental-wellbeing"],
    description="Find a volunteering role that suits your interests, time and health, from a few hours a month upwards. Advisers can go with you to your first session if that would help.",
    eligibility="Anyone aged 16 and over.", ages=(16, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("TU,WE,TH", "10:00", "15:00"), appointment("Phone and email enquiries Monday to Friday.", "MO,TU,WE,TH,FR")],
    assured="2026-10-12", contact=("Chloe Dunmore", "Volunteer development officer"),
    apply="Drop in, ring, or search roles online.",
)
service(
    name="English Conversation Club", org="libraries", venues=["library"], cats=["employment", "befriending"],
    description="Practise everyday English in a relaxed group with volunteer conversation partners. Some volunteers also speak Polish and Urdu.",
    eligibility="Adults aged 16 and over whose first language is not English; all levels.", ages=(16, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("TH", "18:00", "19:30", note="term time only")],
    assured="2026-02-24", langs=["en", "pl", "ur"], contact=("Ruth Aldersey", "Library officer"),
    apply="Just turn up.",
)
service(
    name="Work and Health Coaching", org="trust", venues=["hub"], cats=["employment", "mental-wellbeing"],
    description="An employment specialist works alongside your mental health care to help you find and keep a job that suits you. Support continues after you start work.",
    eligibility="Adults aged 18 to 64 with a mental health condition who want to work.", ages=(18, 64),
    fees="Free.", costs=[free()],
    schedules=[appointment("By appointment, Monday to Friday.", "MO,TU,WE,TH,FR")],
    assured="2026-06-08", contact=("Amira Saleh", "Employment specialist"),
    apply="Self-referral online or referral from a GP, link worker or mental health team.",
)

# Mental wellbeing
service(
    name="Wendleshire NHS Talking Therapies", org="trust", venues=["surgery"], cats=["mental-wellbeing"],
    description="Free NHS talking therapies for common problems such as anxiety, depression, stress and panic, by phone, video or in person. You can refer yourself without seeing a GP.",
    eligibility="Adults aged 16 and over registered with a Wendleshire GP.", ages=(16, None),
    fees="Free.", costs=[free()],
    schedules=[appointment("Appointments Monday to Friday, including some evenings.", "MO,TU,WE,TH,FR")],
    assured="2026-11-02", alert="Current wait for a first assessment call is around four weeks.",
    contact=("Dr Claire Whitmore", "Clinical lead"),
    apply="Self-refer online or by phone; link workers can help people complete the form.",
)
service(
    name="Wellbeing Café", org="wellbeing", venues=["millbrook"], cats=["mental-wellbeing", "befriending"],
    description="A peer-led drop-in for anyone struggling with their mental health, run by people with lived experience. Come for a chat, a game or a quiet space; no need to talk about anything you do not want to.",
    eligibility="Adults aged 18 and over.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("TH", "17:00", "19:00")],
    assured="2026-09-28", contact=("Sam Fairweather", "Peer support coordinator"),
    apply="Just turn up.",
)
service(
    name="Mindfulness for Everyday Life", org="wellbeing", venues=["library"], cats=["mental-wellbeing"],
    description="A six-week introduction to mindfulness with short practices you can use at home to manage stress and low mood. Taught by a trained teacher in a small group.",
    eligibility="Adults aged 18 and over; not suitable during a mental health crisis.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("MO", "18:30", "20:00", note="six-week courses, next start dates on the website")],
    assured="2026-07-31", contact=("Sam Fairweather", "Peer support coordinator"),
    apply="Book by email or phone.",
)
service(
    name="Men Talking", org="wellbeing", venues=["leisure"], cats=["mental-wellbeing"],
    description="A peer support group for men to talk openly about how they are doing, in a private room at the leisure centre. No pressure to speak; just listening is fine.",
    eligibility="Men aged 18 and over.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("MO", "19:00", "20:30")],
    assured="2026-05-12", contact=("Sam Fairweather", "Peer support coordinator"),
    apply="Just turn up; ask at reception for the Men Talking room.",
)
service(
    name="Vale Youth Hub Wellbeing Drop-in", org="youth", venues=["youth"], cats=["mental-wellbeing"],
    description="A safe space for young people to talk to a youth worker or counsellor about anything worrying them, from exams to friendships to feeling low. Also music, games and free snacks.",
    eligibility="Young people aged 11 to 18.", ages=(11, 18),
    fees="Free.", costs=[free()],
    schedules=[weekly("TU,TH", "15:30", "18:00")],
    assured="2026-08-07", contact=("Jordan Ellery", "Youth worker"),
    apply="Just turn up; counselling by appointment.",
)

# Long-term conditions
service(
    name="Breathe Easy Haverleigh", org="breathe", venues=["stmarys"], cats=["long-term-conditions", "befriending"],
    description="A monthly support group for people living with COPD, asthma, bronchiectasis and other lung conditions, with speakers from the local respiratory team. Members also meet for a gentle exercise session.",
    eligibility="Adults with a lung condition, their families and carers.", ages=(18, None),
    fees="Free; donations welcome.", costs=[donation()],
    schedules=[monthly("1TH", "14:00", "16:00")],
    assured="2026-09-14", contact=("Lorna Beckwith", "Group leader"), mobile=True,
    apply="Just turn up.",
)
service(
    name="Diabetes Peer Support Group", org="diabetes", venues=["surgery"], cats=["long-term-conditions", "food"],
    description="Monthly meetings for people living with diabetes to share experience and practical tips, with occasional talks from a dietitian or diabetes nurse. Newly diagnosed people are very welcome.",
    eligibility="Adults with type 1 or type 2 diabetes, and family members.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[monthly("2TU", "18:30", "20:00")],
    assured="2026-10-26", contact=("Vikram Sandhu", "Group chair"), mobile=True,
    apply="Just turn up.",
)
service(
    name="Haverleigh Stroke Club", org="stroke", venues=["millbrook"], cats=["long-term-conditions", "befriending"],
    description="A weekly club for stroke survivors and their families with exercise, communication games and a chance to share experiences. Transport can sometimes be arranged.",
    eligibility="Adults who have had a stroke, and their carers.", ages=(18, None),
    fees="£3 per session including refreshments.", costs=[per_session(3, "Per session, refreshments included")],
    schedules=[weekly("FR", "10:00", "12:00")],
    assured="2025-03-17", contact=("Bill Ackroyd", "Club chair"), mobile=True,
    apply="Ring before your first visit.",
)
service(
    name="Living Well with Pain Course", org="trust", venues=["library"], cats=["long-term-conditions", "mental-wellbeing"],
    description="A seven-week self-management course for people with long-term pain, run by a physiotherapist and a psychologist. Covers pacing, sleep, movement, flare-up plans and managing the emotional impact of pain.",
    eligibility="Adults aged 18 and over with pain lasting three months or more.", ages=(18, None),
    fees="Free.", costs=[free()],
    schedules=[weekly("WE", "13:30", "15:30", note="seven-week courses, four times a year")],
    assured="2026-08-03", contact=("Dr Claire Whitmore", "Clinical lead"),
    apply="Referral from a GP, physiotherapist or link worker.",
)
service(
    name="Heart to Heart Cardiac Support Group", org="active", venues=["leisure"], cats=["long-term-conditions", "walking-exercise"],
    description="Exercise classes for people who have finished hospital cardiac rehabilitation, led by a specialist instructor, followed by a social half-hour. Helps keep up the progress made in rehab.",
    eligibility="Adults who have completed a cardiac rehabilitation programme.", ages=(18, None),
    fees="£4 per class.", costs=[per_session(4)],
    schedules=[weekly("MO,TH", "14:00", "15:00")],
    assured="2026-06-26", contact=("Priya Lomax", "Community activity instructor"),
    apply="Referral from the cardiac rehab team or a GP.",
)


# --- build -------------------------------------------------------------------

def build_org(key: str) -> dict:
    name, description, website, email = ORGS[key]
    return {"id": uid("organization", key), "name": name, "description": description,
            "website": website, "email": email}


def build_location(key: str) -> dict:
    v = VENUES[key]
    address = {"id": uid("address", key), "address_1": v["address_1"]}
    if v.get("address_2"):
        address["address_2"] = v["address_2"]
    address.update({"city": TOWN, "state_province": COUNTY, "postal_code": v["postal_code"],
                    "country": "GB", "address_type": "physical"})
    loc = {"id": uid("location", key), "location_type": "physical", "name": v["name"],
           "description": v["description"]}
    if v.get("transportation"):
        loc["transportation"] = v["transportation"]
    loc.update({"latitude": v["latitude"], "longitude": v["longitude"], "addresses": [address]})
    loc["accessibility"] = ([{"id": uid("accessibility", key), "description": v["access"]}]
                            if v["access"] else [])
    return loc


def slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def build_service(index: int, s: dict) -> dict:
    sid = uid("service", s["name"])
    org = build_org(s["org"])
    first, last = s["contact"]
    person = [w for w in first.split() if w not in ("Rev.", "Dr")]
    contact_email = f"{person[0].lower()}.{person[-1].lower()}@{org['email'].split('@')[1]}"
    number = (f"07700 900{100 + index:03d}" if s.get("mobile") else f"01632 960{100 + index:03d}")
    min_age, max_age = s["ages"]
    out = {
        "id": sid,
        "name": s["name"],
        "description": s["description"],
        "url": f"{org['website']}/{slug(s['name'])}",
        "email": org["email"],
        "status": s.get("status", "active"),
        "application_process": s["apply"],
        "eligibility_description": s["eligibility"],
        "minimum_age": min_age,
        "maximum_age": max_age,
        "fees_description": s["fees"],
        "assured_date": s["assured"],
        "alert": s.get("alert"),
        "organization": org,
        "phones": [{"id": uid("service", s["name"], "phone"), "number": number, "type": "voice"}],
        "schedules": [build_schedule(f"service/{s['name']}/schedule/{i}", sch)
                      for i, sch in enumerate(s["schedules"])],
        "service_at_locations": [
            {"id": uid("service_at_location", s["name"], v), "location": build_location(v)}
            for v in s["venues"]
        ],
        "cost_options": [
            {"id": uid("service", s["name"], "cost", i), "option": opt, "amount": amount,
             "currency": "GBP", "amount_description": desc}
            for i, (opt, amount, desc) in enumerate(s["costs"])
        ],
        "languages": [
            {"id": uid("service", s["name"], "language", code), "name": LANGS[code], "code": code}
            for code in s.get("langs", ["en"])
        ],
        "contacts": [{"id": uid("service", s["name"], "contact"), "name": first, "title": last,
                      "email": contact_email, "phones": []}],
        "attributes": [
            {
                "id": uid("service", s["name"], "attribute", code),
                "link_id": sid,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": uid("taxonomy_term", code),
                "taxonomy_term": {
                    "id": uid("taxonomy_term", code),
                    "code": code,
                    "name": CATEGORIES[code][0],
                    "description": CATEGORIES[code][1],
                    "taxonomy": TAXONOMY,
                },
            }
            for code in s["cats"]
        ],
    }
    return out


def build() -> dict:
    contents = [build_service(i, s) for i, s in enumerate(S)]
    n = len(contents)
    return {"total_items": n, "total_pages": 1, "page_number": 1, "size": n,
            "first_page": True, "last_page": True, "empty": n == 0, "contents": contents}


def main() -> None:
    page = build()
    OUT.write_text(json.dumps(page, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({page['total_items']} services)")


if __name__ == "__main__":
    main()
