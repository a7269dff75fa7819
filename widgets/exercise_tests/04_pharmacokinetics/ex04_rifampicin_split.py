from otter.test_files import test_case

OK_FORMAT = False

name = "ex04_rifampicin_split"
points = 1

@test_case(points=None, hidden=False)
def test_answer(rifampicin_f_factor):
    from widgets.exercises import expect_number
    from widgets.models import pk
    expected = pk.interaction_factors('rifampicin')['oral_bioavailability_factor']
    expect_number(rifampicin_f_factor, 'rifampicin_f_factor', expected, 'the factor by which rifampicin changes F', slips=[(0.14, '0.14 is the whole oral change: part of it is the clearance change that the IV dose shows too'), (0.14 * 0.86, 'the oral fold is the F factor times the IV fold: divide by the IV fold'), (0.86 / 0.14, 'divide the oral fold by the IV fold, not the other way round')])

