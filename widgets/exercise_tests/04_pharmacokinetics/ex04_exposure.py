from otter.test_files import test_case

OK_FORMAT = False

name = "ex04_exposure"
points = 1

@test_case(points=None, hidden=False)
def test_iv(auc_iv_10_mg):
    from widgets.exercises import expect_number
    expect_number(auc_iv_10_mg, 'auc_iv_10_mg', 10 / 79 * 1000, 'the AUC (µg·h/L) of 10 mg IV with CL 79 L/h', slips=[(10 / 79, 'that is in mg·h/L: multiply by 1000 for µg·h/L')])

@test_case(points=None, hidden=False)
def test_oral(auc_oral_25_mg):
    from widgets.exercises import expect_number
    expect_number(auc_oral_25_mg, 'auc_oral_25_mg', 0.23 * 25 / 79 * 1000, 'the AUC (µg·h/L) of 25 mg by mouth (F 0.23)', slips=[(25 / 79 * 1000, 'only the fraction F of an oral dose reaches the circulation: multiply by 0.23'), (0.23 * 25 / 79, 'that is in mg·h/L: multiply by 1000 for µg·h/L')])

@test_case(points=None, hidden=False)
def test_interaction(auc_oral_with_clarithromycin):
    from widgets.exercises import expect_number
    from widgets.models import pk
    factor = pk.interaction_factors('clarithromycin')['oral_bioavailability_factor']
    expect_number(auc_oral_with_clarithromycin, 'auc_oral_with_clarithromycin', 0.23 * factor * 25 / 79 * 1000, 'the oral AUC (µg·h/L) with F multiplied by 2.6', slips=[(0.23 * 25 / 79 * 1000, 'clarithromycin multiplies F by 2.6: use F = 0.23 × 2.6')])

