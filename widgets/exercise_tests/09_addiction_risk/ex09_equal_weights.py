from otter.test_files import test_case

OK_FORMAT = False

name = "ex09_equal_weights"
points = 1

@test_case(points=None, hidden=False)
def test_score(ketamine_equal_score):
    from widgets.exercises import expect_number
    from widgets.models.harm_weights import harm_table
    expected = harm_table(preset='equal').loc['ketamine', 'overall']
    expect_number(ketamine_equal_score, 'ketamine_equal_score', expected, "ketamine's overall score with equal weights (0–100)", slips=[(16 * expected, 'divide the weighted sum by the sum of the weights')])

@test_case(points=None, hidden=False)
def test_rank(ketamine_equal_rank):
    from widgets.exercises import expect_number
    from widgets.models.harm_weights import harm_table
    table = harm_table(preset='equal')
    expect_number(ketamine_equal_rank, 'ketamine_equal_rank', table.loc['ketamine', 'rank'], "ketamine's rank (1 = most harmful) with equal weights", rel=0, slips=[(table.loc['ketamine', 'published_rank'], 'that is the rank with the published weights: use preset="equal"')])

