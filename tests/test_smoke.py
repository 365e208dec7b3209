def test_checkin_then_list(cli):
    cli("checkin", "--mood", "7", "--craving", "2", ok=True)
    rows = cli.json("checkins", "--json")
    assert [(r["date"], r["mood"], r["craving"]) for r in rows] == [("2026-11-21", 7, 2)]
