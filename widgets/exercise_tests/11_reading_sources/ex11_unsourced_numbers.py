from otter.test_files import test_case

OK_FORMAT = False

name = "ex11_unsourced_numbers"
points = 1

@test_case(points=None, hidden=False)
def test_verdict(percentages_verdict):
    from widgets.exercises import expect_choice
    from widgets.models.claims import load_claims, verdict_rubric
    course = load_claims().set_index('id').loc['C-treatment-002-ptsd-percentages', 'verdict']
    expect_choice(percentages_verdict, 'percentages_verdict', course, list(verdict_rubric()), 'one of the four verdicts, in quotes', feedback={'contradicted': 'no good evidence shows these numbers are false; there is simply nothing to check them against', 'partly supported': 'that needs good evidence for at least part of the claim, and none is given or known', 'supported': 'no study, sample or comparison is named, so nothing supports the numbers'})

@test_case(points=None, hidden=False)
def test_flag(percentages_red_flag):
    from widgets.exercises import expect_choice
    flags = ['sales pitch', 'clinic marketing', 'missing citations', 'confident numbers with no source', 'forum post', 'machine-generated page']
    expect_choice(percentages_red_flag, 'percentages_red_flag', 'confident numbers with no source', flags, 'the red flag that fits best, in quotes', feedback={'missing citations': 'close, but the problem here is sharper: precise-looking numbers that cannot be traced', 'machine-generated page': 'the page may be stitched together, but the flag about these numbers is that they have no source'}, hint='look for the red flag about numbers')

