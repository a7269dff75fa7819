from otter.test_files import test_case

OK_FORMAT = False

name = "ex06_index_bounds"
points = 1

@test_case(points=None, hidden=False)
def test_index(hong_index):
    from widgets.exercises import expect_number
    from widgets.models.interaction import hong_interaction_index
    expect_number(hong_index, 'hong_index', hong_interaction_index()[0], "the interaction index of Hong's combination", slips=[(0.15 / 0.086 + 0.37 / 0.27, 'divide each dose by its ED50, not the ED50 by the dose')])

@test_case(points=None, hidden=False)
def test_low(index_low):
    from widgets.exercises import expect_number
    from widgets.models.interaction import hong_interaction_index
    _, low, high = hong_interaction_index()
    expect_number(index_low, 'index_low', low, 'the smallest index over the two CIs', slips=[(high, 'that is the largest: a larger ED50 makes its term smaller, so the smallest index uses the upper CI ends')])

@test_case(points=None, hidden=False)
def test_high(index_high):
    from widgets.exercises import expect_number
    from widgets.models.interaction import hong_interaction_index
    _, low, high = hong_interaction_index()
    expect_number(index_high, 'index_high', high, 'the largest index over the two CIs', slips=[(low, 'that is the smallest: the largest index uses the lower CI ends')])

