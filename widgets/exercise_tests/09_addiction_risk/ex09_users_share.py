from otter.test_files import test_case

OK_FORMAT = False

name = "ex09_users_share"
points = 1

@test_case(points=None, hidden=False)
def test_published(published_users_share):
    from widgets.exercises import expect_number
    from widgets.models.harm_weights import harm_data, implied_users_share_pct
    data = harm_data()
    expected = implied_users_share_pct(data.weights, data.clusters)
    expect_number(published_users_share, 'published_users_share', expected, "the users' share (%) of the published weights", rel=0.002, slips=[(46, "46 is the paper's rounded figure: compute it from the criterion weights"), (100 - expected, 'that is the share of harms to others'), (expected / 100, 'give a percentage, not a fraction')])

@test_case(points=None, hidden=False)
def test_equal(equal_users_share):
    import numpy as np
    from widgets.exercises import expect_number
    from widgets.models.harm_weights import harm_data, implied_users_share_pct
    data = harm_data()
    expected = implied_users_share_pct(np.ones(16), data.clusters)
    expect_number(equal_users_share, 'equal_users_share', expected, "the users' share (%) with equal weights", rel=0.002, slips=[(50, 'with equal weights each criterion counts once: count how many are in the users cluster')])

