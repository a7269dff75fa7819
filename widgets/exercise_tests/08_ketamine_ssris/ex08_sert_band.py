from otter.test_files import test_case

OK_FORMAT = False

name = "ex08_sert_band"
points = 1

@test_case(points=None, hidden=False)
def test_low(band_low):
    from widgets.exercises import expect_number
    from widgets.models.ketamine_ssri import predicted_occupancy_percent as occ
    expect_number(band_low, 'band_low', float(occ(1200, 162, 0.53)), 'the predicted SERT occupancy (%) at 1200 ng/mL', slips=[(float(occ(1200, 162, 1.0)), "use Dayton's fu of 0.53: only free drug binds"), (float(occ(1200, 162, 0.53)) / 100, "the course's function already returns a percentage")])

@test_case(points=None, hidden=False)
def test_high(band_high):
    from widgets.exercises import expect_number
    from widgets.models.ketamine_ssri import predicted_occupancy_percent as occ
    expect_number(band_high, 'band_high', float(occ(2400, 162, 0.53)), 'the predicted SERT occupancy (%) at 2400 ng/mL', slips=[(float(occ(2400, 162, 1.0)), "use Dayton's fu of 0.53: only free drug binds")])

@test_case(points=None, hidden=False)
def test_ratio(times_below_ssri):
    from widgets.exercises import expect_number
    from widgets.models.ketamine_ssri import predicted_occupancy_percent as occ
    expect_number(times_below_ssri, 'times_below_ssri', 70 / float(occ(2400, 162, 0.53)), '70 divided by band_high', slips=[(float(occ(2400, 162, 0.53)) / 70, 'divide 70 by band_high, not the other way round')])

