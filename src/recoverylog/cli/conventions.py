"""Conventions every command follows, kept in one table instead of in each command file:
the examples that end each `--help`, the commands whose long output goes through a pager on a
terminal, and the commands whose `--format json` is also spelled `--json`.

`cli/app.py` applies them to every command when it is built, so a command added later gets its
examples by adding a line here (tests/test_conventions.py checks that every command has some and
that each example parses)."""

from __future__ import annotations

# Command path → one to three examples (without the leading program name).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "": ("checkin --mood 7 --craving 2 --sober", "status", "search \"called Sam\""),
    "checkin": ("checkin", "checkin --mood 6 --craving 3 --sober --note \"Long day, called Sam.\"",
                "checkin --date yesterday --mood 5 --craving 4 --used alcohol:2"),
    "checkin show": ("checkin show", "checkin show yesterday --json"),
    "checkin delete": ("checkin delete 2026-11-20", "checkin delete yesterday --yes"),
    "checkin undo": ("checkin undo", "checkin undo 2026-11-20"),
    "checkins": ("checkins --limit 7", "checkins --since \"2 weeks ago\"", "checkins --since 2026-11-01 --json"),
    "status": ("status", "status --as-of \"last friday\"", "status --json"),
    "substance": ("substance add alcohol --unit drinks", "substance list"),
    "substance add": ("substance add alcohol --unit drinks --sober-since 2026-09-01",
                      "substance add nicotine --unit count --goal reduce --max-per-day 5"),
    "substance list": ("substance list", "substance list --json"),
    "substance edit": ("substance edit alcohol --goal reduce --max-per-day 2", "substance edit nicotine --unarchive"),
    "substance archive": ("substance archive nicotine",),
    "use": ("use alcohol --amount 2", "use cannabis --date yesterday --note \"after the argument\""),
    "uses": ("uses --limit 10", "uses alcohol --all --since \"a week ago\"", "uses --json"),
    "uses edit": ("uses edit alcohol --date yesterday --amount 3", "uses edit alcohol --date 2026-11-20 --not-used"),
    "uses delete": ("uses delete alcohol --date 2026-11-20 --yes",),
    "sobriety": ("sobriety", "sobriety alcohol --as-of 2026-11-01", "sobriety --json"),
    "meeting": ("meeting add \"Tuesday Night AA\"", "meeting list --limit 10"),
    "meeting add": ("meeting add \"Tuesday Night AA\" --time 19:30 --minutes 60 --fellowship AA",
                    "meeting add \"SMART Online\" --date yesterday --format online --verification email"),
    "meeting list": ("meeting list --limit 10", "meeting list --since 2026-11-01 --json"),
    "meeting edit": ("meeting edit 12 --verified-by \"J.R.\" --verification initials",),
    "meeting delete": ("meeting delete 12", "meeting delete 12 --yes"),
    "meeting ninety": ("meeting ninety --start 2026-09-01",),
    "meeting requirement": ("meeting requirement add court --count 3 --per week --start 2026-10-01",
                            "meeting requirement status"),
    "meeting requirement add": ("meeting requirement add court --count 3 --per week --start 2026-10-01 --verified-only",),
    "meeting requirement list": ("meeting requirement list", "meeting requirement list --json"),
    "meeting requirement end": ("meeting requirement end court --date 2026-12-31",),
    "meeting requirement status": ("meeting requirement status court", "meeting requirement status --json"),
    "goal": ("goal add \"Three meetings a week\" --metric meetings --target 3", "goal list"),
    "goal add": ("goal add \"Three meetings a week\" --metric meetings --target 3 --per week",
                 "goal add \"Check in daily\" --metric checkins --every-day"),
    "goal list": ("goal list", "goal list --json"),
    "goal done": ("goal done 2",),
    "goal archive": ("goal archive 2",),
    "report": ("report --week", "report --month --format markdown", "report --since 2026-11-01 --json"),
    "export": ("export --week", "export --week -f html --name Alex --to sponsor -o week.html",
               "export --profile court -f csv --table totals -o totals.csv"),
    "export log": ("export log", "export log --limit 5 --json"),
    "import": ("import backup.json", "import --from daylio daylio_export.csv --dry-run",
               "import --from loop \"Loop Habits CSV.zip\" --habit \"No drinking=substance:alcohol\""),
    "review": ("review alex.json", "review alex.json sam.json --json"),
    "plan": ("plan", "plan add coping \"call Sam\""),
    "plan add": ("plan add coping \"call Sam\"", "plan add risk-dates 2026-12-25 \"first sober holiday\" --yearly"),
    "plan remove": ("plan remove coping 2",),
    "plan move": ("plan move coping 3 1",),
    "plan review": ("plan review",),
    "plan history": ("plan history --limit 5", "plan history --json"),
    "plan edit": ("plan edit",),
    "contact": ("contact add Sam --role sponsor --phone \"+1 555 0100\"", "contact list"),
    "contact add": ("contact add Sam --role sponsor --phone \"+1 555 0100\"",),
    "contact list": ("contact list", "contact list --all --json"),
    "contact edit": ("contact edit Sam --phone \"+1 555 0199\"",),
    "contact remove": ("contact remove Sam",),
    "reached-out": ("reached-out Sam --how call", "reached-out Sam --date yesterday --about \"the wedding\""),
    "help-now": ("help-now",),
    "sos": ("sos",),
    "step": ("step 1 --status done", "step 4 --status in-progress --note \"started the inventory\""),
    "steps": ("steps", "steps --json"),
    "demo": ("demo --db /tmp/demo.db", "demo --db /tmp/demo.db --days 365"),
    "db": ("db path", "db backup ~/recoverylog-backup.db"),
    "db path": ("db path",),
    "db migrate": ("db migrate --list", "db migrate"),
    "db backup": ("db backup ~/recoverylog-backup.db",),
    "db restore": ("db restore ~/recoverylog-backup.db",),
    "db datasette-metadata": ("db datasette-metadata > metadata.json",
                              "datasette \"$(recoverylog db path)\" -m metadata.json"),
    "db encrypt": ("db encrypt", "db encrypt --remember"),
    "db decrypt": ("db decrypt",),
    "db passphrase": ("db passphrase", "db passphrase --remember"),
    "config": ("config list", "config set pager off"),
    "config list": ("config list",),
    "config get": ("config get day-start-hour",),
    "config set": ("config set day-start-hour 5", "config set pager off"),
    "assess": ("assess phq9", "assess gad7 --answers 1,0,2,1,0,1,0", "assess list --limit 5"),
    "assess list": ("assess list", "assess list --instrument phq9 --since 2026-09-01 --json"),
    "assess show": ("assess show 3", "assess show 3 --json"),
    "assess delete": ("assess delete 3", "assess delete 3 --yes"),
    "med": ("med add buprenorphine --dose \"8 mg\" --kind moud", "med taken buprenorphine"),
    "med add": ("med add buprenorphine --dose \"8 mg\" --kind moud",
                "med add sertraline --dose \"50 mg\" --kind psychiatric"),
    "med list": ("med list", "med list --json"),
    "med edit": ("med edit buprenorphine --dose \"12 mg\"",),
    "med archive": ("med archive sertraline",),
    "med taken": ("med taken buprenorphine", "med taken buprenorphine --date yesterday --missed"),
    "search": ("search craving", "search \"called Sam\" --since 2026-11-01", "search wedding --json --limit 5"),
    "key": ("key init", "key show", "key export-public jo.pub"),
    "key init": ("key init", "key init --replace"),
    "key show": ("key show", "key show --json"),
    "key export-public": ("key export-public jo.pub",),
    "key export-private": ("key export-private /media/usb/recoverylog.key",),
    "key import-private": ("key import-private /media/usb/recoverylog.key",),
    "trust": ("trust add jo.pub --name Jo", "trust list"),
    "trust add": ("trust add jo.pub --name Jo", "trust add jo-week.json --name Jo"),
    "trust list": ("trust list", "trust list --json"),
    "trust remove": ("trust remove Jo",),
    "reply": ("reply jo-week.json --note \"Proud of you.\" -o reply.json",
              "reply jo-week.json --note \"Call me Sunday.\" --ask \"How was Thursday?\" "
              "--suggest-goal \"Two meetings a week\" -o reply.json"),
    "inbox": ("inbox", "inbox --json"),
    "inbox add": ("inbox add reply.json",),
    "inbox show": ("inbox show 1", "inbox show 1 --json"),
    "inbox accept": ("inbox accept 1", "inbox accept 1 --goal 2"),
    "prompt": ("prompt", "prompt --marker \"✎ \""),
    "remind": ("remind --at 20:30 --print", "remind --at 20:30", "remind --off"),
    "insights": ("insights", "insights --since \"30 days ago\"", "insights --since 2026-09-01 --json"),
}

# Examples that are not a recoverylog command line (shown as they are, not checked by the parser test).
OTHER_PROGRAMS = ("datasette ",)

# Commands whose output can run longer than a screen: paged on a terminal (`config set pager off`).
PAGED = frozenset({
    "checkins", "uses", "substance list", "meeting list", "meeting requirement list", "meeting requirement status",
    "goal list", "contact list", "export log", "plan history", "steps", "search", "report", "review", "sobriety",
    "assess list", "med list", "insights",
})

# Commands with `--format` that accepts json: `--json` means `--format json` (option name → parameter).
JSON_ALIAS: dict[str, str] = {"report": "fmt", "review": "fmt", "export": "fmt"}


def epilog_for(path: str) -> str | None:
    examples = EXAMPLES.get(path)
    if not examples:
        return None
    lines = [e if e.startswith(OTHER_PROGRAMS) else f"recoverylog {e}" for e in examples]
    # "\b" keeps click from re-wrapping the lines.
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)
