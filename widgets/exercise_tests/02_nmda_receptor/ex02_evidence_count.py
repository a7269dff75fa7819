from otter.test_files import test_case

OK_FORMAT = False

name = "ex02_evidence_count"
points = 1

@test_case(points=None, hidden=False)
def test_for(opioid_human_for):
    from widgets.exercises import expect_number
    from widgets.models.mechanisms import evidence
    e = evidence()
    expected = ((e['hypothesis'] == 'opioid system') & (e['species'] == 'human') & (e['direction'] == 'supports')).sum()
    expect_number(opioid_human_for, 'opioid_human_for', expected, 'the number of human findings that support the opioid hypothesis', rel=0, hint='filter on all three columns: hypothesis, species and direction')

@test_case(points=None, hidden=False)
def test_against(opioid_human_against):
    from widgets.exercises import expect_number
    from widgets.models.mechanisms import evidence
    e = evidence()
    expected = ((e['hypothesis'] == 'opioid system') & (e['species'] == 'human') & (e['direction'] == 'against')).sum()
    expect_number(opioid_human_against, 'opioid_human_against', expected, 'the number of human findings against the opioid hypothesis', rel=0, hint='filter on all three columns: hypothesis, species and direction')

