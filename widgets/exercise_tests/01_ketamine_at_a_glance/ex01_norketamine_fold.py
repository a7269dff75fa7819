from otter.test_files import test_case

OK_FORMAT = False

name = "ex01_norketamine_fold"
points = 1

@test_case(points=None, hidden=False)
def test_norketamine(s_vs_r_norketamine):
    from widgets.exercises import expect_number
    expect_number(s_vs_r_norketamine, 's_vs_r_norketamine', 13 / 1.7, 'how many times tighter S-norketamine binds: times_tighter(13, 1.7)', slips=[(1.7 / 13, 'a lower Ki means tighter binding: divide the larger Ki by the smaller')])

@test_case(points=None, hidden=False)
def test_ketamine(ketamine_vs_norketamine):
    from widgets.exercises import expect_number
    expect_number(ketamine_vs_norketamine, 'ketamine_vs_norketamine', 1.7 / 0.3, 'how many times tighter S-ketamine binds than S-norketamine', slips=[(0.3 / 1.7, 'a lower Ki means tighter binding: divide the larger Ki by the smaller')])

