from otter.test_files import test_case

OK_FORMAT = False

name = "ex01_salt_mass"
points = 1

@test_case(points=None, hidden=False)
def test_function(base_to_hcl_mg):
    from widgets.exercises import expect_function
    expect_function(base_to_hcl_mg, 'base_to_hcl_mg', [((84,), 84 * 274.2 / 237.7)], 'a return of the salt mass: base_mg × 274.2 / 237.7', hint='the salt is heavier than the base it contains: multiply by 274.2 / 237.7')

@test_case(points=None, hidden=False)
def test_answer(hcl_for_84_mg):
    from widgets.exercises import expect_number
    expect_number(hcl_for_84_mg, 'hcl_for_84_mg', 84 * 274.2 / 237.7, 'the HCl mass (mg) for 84 mg of base: call base_to_hcl_mg(84)', slips=[(84 * 237.7 / 274.2, 'this converts the wrong way: the salt is heavier than the base, so its mass is larger'), (84, 'that is the base mass itself: multiply by the ratio of the molar masses')])

