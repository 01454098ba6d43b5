"""The demo account's list: one person's week, written out project by project.

Due dates are days from today (negative: overdue), so the week is always current.
`seed_demo` creates these first and, asked for more tasks than this, goes on with
copies of them on other days.
"""

from dataclasses import dataclass, field
from datetime import time

from todos.models import INBOX_NAME, Colour


@dataclass(frozen=True)
class Todo:
    title: str
    due: int | None = None
    at: time | None = None
    priority: int = 4
    tags: tuple[str, ...] = ()
    notes: str = ""
    done: bool = False
    steps: tuple["Todo", ...] = field(default=())
    # An RRULE, repeating from the due date (todos.recurrence).
    repeat: str = ""


def todo(
    title, due=None, *, at=None, p=4, tags="", notes="", done=False, steps=(), repeat=""
) -> Todo:
    """Write a task briefly: tags space-separated, steps as titles or todos."""
    return Todo(
        repeat=repeat,
        title=title,
        due=due,
        at=time(*at) if at else None,
        priority=p,
        tags=tuple(tags.split()),
        notes=notes,
        done=done,
        steps=tuple(step if isinstance(step, Todo) else Todo(step) for step in steps),
    )


TAGS = [
    "bills",
    "phone",
    "email",
    "errand",
    "computer",
    "quick",
    "deep-work",
    "weekend",
    "someday",
    "shopping",
    "groceries",
    "pharmacy",
    "appointment",
    "meeting",
    "reading",
    "writing",
    "chores",
    "outdoors",
    "online",
    "paperwork",
    "gift",
    "travel",
    "booking",
    "exercise",
    "cooking",
    "repair",
    "kids",
    "learning",
    "planning",
    "print",
]

# Each project with its colour and its tasks, the ones that matter most first.
WEEK: dict[str, tuple[Colour, list[Todo]]] = {
    INBOX_NAME: (
        Colour.GREY,
        [
            todo("Find the warranty for the washing machine", 2, tags="paperwork"),
            todo("Look up the podcast Tom mentioned", tags="online"),
            todo("Buy light bulbs for the bathroom", tags="shopping"),
            todo("Check if the library is open on Sunday", tags="quick"),
            todo("Reply to the neighbours' group chat", -1, done=True),
        ],
    ),
    "Work": (
        Colour.BLUE,
        [
            todo(
                "Send the quarterly report to Maria",
                0,
                at=(11, 0),
                p=1,
                tags="deep-work email",
                notes="Figures are in the shared drive under Finance/Q3. "
                "Maria wants the summary on one page.",
            ),
            todo("Reply to the client about the revised timeline", -1, p=1, tags="email"),
            todo(
                "Prepare slides for the team meeting",
                2,
                p=2,
                tags="computer",
                steps=["Collect the numbers from sales", "Draft the outline", "Rehearse once"],
            ),
            todo("Review Alex's pull request", 1, p=2, tags="computer"),
            todo("One-to-one with Priya", 1, at=(14, 0), tags="meeting"),
            todo("Book a meeting room for the design review", 1, tags="quick"),
            todo(
                "Submit expenses for the Berlin trip",
                3,
                tags="paperwork",
                notes="Receipts are in the envelope in my bag.",
            ),
            todo("Update the onboarding guide", p=3, tags="writing"),
            todo("Renew the conference ticket", -2, tags="online", done=True),
            todo("Clear the email inbox", -1, tags="email", done=True),
        ],
    ),
    "Home": (
        Colour.GREEN,
        [
            todo(
                "Pay rent",
                2,
                p=1,
                tags="bills",
                repeat="FREQ=MONTHLY",
                notes="The standing order stopped in March: transfer it by hand.",
            ),
            todo("Call the landlord about the boiler service", -2, p=2, tags="phone"),
            todo(
                "Take the recycling out", 0, at=(20, 0), tags="chores quick", repeat="FREQ=WEEKLY"
            ),
            todo(
                "Fix the dripping kitchen tap",
                4,
                tags="repair",
                steps=["Buy a new washer", "Turn off the water under the sink"],
            ),
            todo("Change the bed sheets", 1, tags="chores", repeat="FREQ=WEEKLY;INTERVAL=2"),
            todo("Descale the kettle", tags="chores quick"),
            todo("Hang the pictures in the hallway", tags="weekend"),
            todo("Vacuum the stairs", -1, tags="chores", done=True),
        ],
    ),
    "Errands": (
        Colour.ORANGE,
        [
            todo(
                "Groceries for the week",
                0,
                at=(18, 0),
                tags="shopping groceries",
                steps=["Oat milk", "Eggs", "Coffee beans", "Tomatoes"],
            ),
            todo(
                "Return the parcel to the post office",
                0,
                tags="errand",
                notes="The return label is printed; the code is on the delivery slip.",
            ),
            todo("Pick up the dry cleaning", 1, tags="errand"),
            todo("Drop off old clothes at the charity shop", 5, tags="errand weekend"),
            todo("Buy stamps", tags="errand quick"),
            todo("Get a spare key cut", tags="errand"),
            todo("Collect the parcel from next door", -2, tags="errand", done=True),
        ],
    ),
    "Health": (
        Colour.RED,
        [
            todo("Book a dentist check-up", -3, p=2, tags="phone appointment"),
            todo(
                "GP appointment",
                6,
                at=(9, 10),
                tags="appointment",
                notes="Bring the list of questions about the knee.",
            ),
            todo("Collect the prescription", 1, tags="pharmacy errand"),
            todo("Order contact lenses", 3, tags="online"),
            todo("Refill the pill organiser", 2, tags="quick"),
            todo("Try the ten-minute stretching routine", tags="exercise"),
            todo("Book the eye test", -4, tags="booking", done=True),
        ],
    ),
    "Trip to Lisbon": (
        Colour.YELLOW,
        [
            todo(
                "Plan the trip",
                7,
                p=2,
                tags="planning travel",
                steps=[
                    todo("Book flights", -3, done=True),
                    "Book hotel",
                    todo("Check the passport expiry date", -5, done=True),
                    "Ask Ana for restaurant tips",
                ],
            ),
            todo("Book the airport transfer", 10, tags="booking travel"),
            todo("Buy travel insurance", 12, tags="online travel"),
            todo("Reserve a rental car for the day in Sintra", 15, tags="booking travel"),
            todo("Find someone to water the plants", 14, tags="phone"),
            todo("Download offline maps", 20, tags="quick travel"),
            todo(
                "Pack",
                21,
                tags="travel",
                steps=["Plug adapter", "Sunscreen", "Phone charger", "Guidebook"],
            ),
        ],
    ),
    "Finances": (
        Colour.TEAL,
        [
            todo("Pay the electricity bill", 3, p=1, tags="bills"),
            todo("Check the current account statement", 0, tags="bills online"),
            todo(
                "Renew the home insurance",
                9,
                p=2,
                tags="bills paperwork",
                notes="Last year's premium was 212. Get two other quotes first.",
            ),
            todo(
                "File the tax return",
                25,
                p=2,
                tags="paperwork deep-work",
                steps=[
                    "Download the bank's annual statement",
                    "Gather the charity donation receipts",
                    "Fill in the form online",
                ],
            ),
            todo("Move savings to the holiday pot", 5, tags="online"),
            todo("Cancel the unused streaming subscription", tags="online quick"),
            todo("Pay the water bill", -4, tags="bills", done=True),
        ],
    ),
    "Garden": (
        Colour.GREEN,
        [
            todo("Water the tomatoes", 0, at=(19, 0), tags="outdoors quick"),
            todo("Mow the lawn", 1, tags="outdoors weekend"),
            todo("Buy compost and tulip bulbs", 4, tags="shopping"),
            todo("Fix the garden hose", 6, tags="repair outdoors"),
            todo("Prune the roses", tags="outdoors"),
            todo("Repot the basil", -1, tags="quick", done=True),
        ],
    ),
    "Family": (
        Colour.PINK,
        [
            todo("Call Mum", 0, at=(18, 30), p=2, tags="phone"),
            todo("Sign the school trip form", -1, p=1, tags="paperwork kids"),
            todo("Book swimming lessons for Leo", 5, tags="booking kids"),
            todo("Ask my parents about the Christmas plans", 8, tags="phone"),
            todo("Parent-teacher evening", 9, at=(17, 30), tags="kids appointment"),
            todo("Send Grandma the photos from the summer", tags="email"),
            todo("Buy a birthday card for Uncle Tom", -3, tags="gift", done=True),
        ],
    ),
    "Car": (
        Colour.GREY,
        [
            todo("Pay the parking fine", -2, p=1, tags="bills online"),
            todo(
                "Book the car service",
                4,
                p=2,
                tags="phone booking",
                notes="Garage: 020 7946 0321. Ask them to check the brakes too.",
            ),
            todo("Renew the car insurance", 16, p=1, tags="bills online"),
            todo("Check the tyre pressure", tags="quick"),
            todo("Wash the car", tags="weekend outdoors"),
            todo("Top up the screen wash", -2, tags="quick", done=True),
        ],
    ),
    "Reading list": (
        Colour.PURPLE,
        [
            todo("Return the library books", 2, tags="errand reading"),
            todo("Finish “The Overstory”", tags="reading"),
            todo("Read the article on sleep that Sam sent", tags="reading online"),
            todo("Pick the next book club book", 11, tags="reading"),
            todo("Read “Klara and the Sun”", -6, tags="reading", done=True),
        ],
    ),
    "Side project": (
        Colour.TEAL,
        [
            todo("Fix the sign-in bug in the recipe app", 2, p=2, tags="computer deep-work"),
            todo("Renew the domain name", 6, p=1, tags="bills online"),
            todo(
                "Launch the beta",
                30,
                tags="planning",
                steps=[
                    "Invite ten testers",
                    "Write the feedback form",
                    "Fix the top three issues",
                ],
            ),
            todo("Write the README", tags="writing computer"),
            todo("Sketch the new home screen", tags="deep-work"),
            todo("Set up automatic backups", -2, tags="computer", done=True),
        ],
    ),
    "Learning Spanish": (
        Colour.ORANGE,
        [
            todo("Do today's lesson in the app", 0, tags="quick online"),
            todo("Review the past tense verbs", 1, tags="learning"),
            todo("Book a conversation class", 5, tags="booking learning"),
            todo("Watch a film in Spanish with subtitles", tags="weekend"),
            todo("Learn the numbers up to 100", -3, tags="learning", done=True),
        ],
    ),
    "Fitness": (
        Colour.RED,
        [
            todo("Run 5 km", 0, at=(7, 0), tags="exercise outdoors"),
            todo("Yoga class", 2, at=(18, 0), tags="exercise"),
            todo("Cancel the gym membership", 3, p=3, tags="phone"),
            todo("Sign up for the 10 km race in spring", 7, tags="online exercise"),
            todo("Buy new running shoes", tags="shopping"),
            todo("Swim 20 lengths", -1, tags="exercise", done=True),
        ],
    ),
    "Friends": (
        Colour.PINK,
        [
            todo("Reply to Jo about dinner on Saturday", 0, tags="quick"),
            todo("Book a table for Ana's farewell dinner", 3, tags="booking"),
            todo("Return Ben's drill", 4, tags="errand"),
            todo(
                "Plan the camping weekend",
                steps=["Pick a campsite", "Ask who has a tent", "Agree on a date"],
                tags="planning",
            ),
            todo("Send Priya the wedding RSVP", -2, tags="email", done=True),
        ],
    ),
    "Volunteering": (
        Colour.GREEN,
        [
            todo("Email next month's rota", 1, tags="email"),
            todo("Sort donations at the food bank", 6, at=(10, 0), tags="weekend"),
            todo("Print flyers for the clean-up day", 8, tags="print"),
            todo("Ask the café to put up a poster", tags="errand"),
            todo("Thank this month's volunteers", -2, tags="writing", done=True),
        ],
    ),
    "Guitar": (
        Colour.YELLOW,
        [
            todo("Practise the F chord for 15 minutes", tags="quick"),
            todo("Book the next lesson with Carla", 2, tags="booking"),
            todo("Restring the guitar", 5, tags="repair"),
            todo("Learn the intro to “Blackbird”", tags="learning"),
            todo("Buy a capo", -5, tags="shopping", done=True),
        ],
    ),
    "Photography": (
        Colour.PURPLE,
        [
            todo("Back up the photos from the summer", 3, tags="computer"),
            todo("Edit the photos from Sam's wedding", 9, p=2, tags="computer deep-work"),
            todo("Order prints for the hallway", tags="online print"),
            todo("Clean the camera sensor", tags="repair"),
            todo("Sign up for the night photography walk", -3, tags="booking", done=True),
        ],
    ),
    "Sam's birthday party": (
        Colour.PINK,
        [
            todo("Send the invitations", -1, p=1, tags="email"),
            todo(
                "Order the cake",
                6,
                p=2,
                tags="online",
                notes="Chocolate, no nuts: Leo is allergic.",
            ),
            todo(
                "Buy decorations",
                10,
                tags="shopping",
                steps=["Balloons", "Candles", "Bunting"],
            ),
            todo("Choose a present", 12, tags="gift"),
            todo("Make a playlist", tags="weekend"),
            todo("Book the room at the Red Lion", -4, tags="booking", done=True),
        ],
    ),
    "Bedroom makeover": (
        Colour.BLUE,
        [
            todo(
                "Choose a paint colour",
                3,
                tags="planning",
                notes="Shortlist: Sage, Pale Oak, Elephant's Breath.",
            ),
            todo("Buy paint and brushes", 8, tags="shopping"),
            todo("Get three quotes for a new wardrobe", 10, tags="phone"),
            todo("Sell the old bedside tables online", tags="online"),
            todo("Measure the window for blinds", -2, tags="quick", done=True),
        ],
    ),
    "Ideas": (
        Colour.YELLOW,
        [
            todo("Write a short story for the competition", 28, tags="writing"),
            todo("Start a herb garden on the balcony", tags="someday"),
            todo("Learn to bake sourdough", tags="someday cooking"),
            todo("Try a new recipe every Sunday", tags="cooking"),
            todo("Weekend trip to the coast", tags="someday travel"),
            todo("Take a pottery class", tags="someday"),
        ],
    ),
}

PROJECTS = [name for name in WEEK if name != INBOX_NAME]
WEEK_TASKS = sum(1 + len(item.steps) for _, items in WEEK.values() for item in items)


def titles(project: str) -> list[str]:
    """Return the titles of one project's tasks, for data that needs more of the same kind."""
    return [item.title for item in WEEK[project][1]]
