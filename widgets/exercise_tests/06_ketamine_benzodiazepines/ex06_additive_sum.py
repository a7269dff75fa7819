from otter.test_files import test_case

OK_FORMAT = False

name = "ex06_additive_sum"
points = 1

@test_case(points=None, hidden=False)
def test_alone(p_ketamine_alone):
    from widgets.exercises import expect_number
    from widgets.models.interaction import probability_from_drive
    expect_number(p_ketamine_alone, 'p_ketamine_alone', float(probability_from_drive(0.81, 3)), 'the probability (0 to 1) for a drive of 0.81', slips=[(100 * float(probability_from_drive(0.81, 3)), 'give a probability between 0 and 1, not a percentage')])

@test_case(points=None, hidden=False)
def test_pair(p_pair):
    from widgets.exercises import expect_number
    from widgets.models.interaction import probability_from_drive
    expect_number(p_pair, 'p_pair', float(probability_from_drive(1.28, 3)), "the probability (0 to 1) for the pair's drive", slips=[(float(probability_from_drive(0.47, 3)) + float(probability_from_drive(0.81, 3)), 'add the drives (Loewe additivity), not the probabilities')])

