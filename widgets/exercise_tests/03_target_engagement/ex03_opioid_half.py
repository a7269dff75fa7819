from otter.test_files import test_case

OK_FORMAT = False

name = "ex03_opioid_half"
points = 1

@test_case(points=None, hidden=False)
def test_concentration(mu_half_ng_per_ml):
    from widgets.exercises import expect_number
    from widgets.models.targets import concentration_for_occupancy_ng_per_ml
    expected = concentration_for_occupancy_ng_per_ml(42, 0.5, 0.53)
    expect_number(mu_half_ng_per_ml, 'mu_half_ng_per_ml', expected, 'the total concentration (ng/mL) that gives half occupancy at the µ receptor', slips=[(42 * 237.7, 'free = total × fu, so the total is the free concentration divided by fu'), (42 * 0.53 * 237.7, 'free = total × fu, so divide by fu (do not multiply)'), (42 / 0.53, 'that is in µM: multiply by 237.7 for ng/mL')])

@test_case(points=None, hidden=False)
def test_ratio(times_anaesthesia_top):
    from widgets.exercises import expect_number
    from widgets.models.targets import concentration_for_occupancy_ng_per_ml
    expect_number(times_anaesthesia_top, 'times_anaesthesia_top', concentration_for_occupancy_ng_per_ml(42, 0.5, 0.53) / 2400, 'how many times 2400 ng/mL that concentration is', slips=[(2400 / concentration_for_occupancy_ng_per_ml(42, 0.5, 0.53), 'divide the half-occupancy concentration by 2400, not the other way round')])

