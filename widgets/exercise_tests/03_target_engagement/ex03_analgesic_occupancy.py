from otter.test_files import test_case

OK_FORMAT = False

name = "ex03_analgesic_occupancy"
points = 1

@test_case(points=None, hidden=False)
def test_answer(occupancy_at_160):
    from widgets.exercises import expect_number
    from widgets.models.occupancy import fraction_occupied as occ, free_concentration as free, ng_per_ml_to_micromolar as um
    expect_number(occupancy_at_160, 'occupancy_at_160', occ(free(um(160), 0.53), 0.3), 'the fraction of NMDA sites occupied at 160 ng/mL (between 0 and 1)', slips=[(occ(free(free(um(160), 0.53), 0.53), 0.3), 'the free fraction was applied twice: apply it once'), (occ(um(160), 0.3), 'only free drug binds: multiply the total by fu first'), (occ(free(160, 0.53), 0.3), 'convert ng/mL to µM first (divide by 237.7)'), (100 * occ(free(um(160), 0.53), 0.3), 'give a fraction between 0 and 1, not a percentage')])

