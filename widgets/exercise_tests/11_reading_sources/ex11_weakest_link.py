from otter.test_files import test_case

OK_FORMAT = False

name = "ex11_weakest_link"
points = 1

@test_case(points=None, hidden=False)
def test_step(weakest_step):
    from widgets.exercises import expect_choice
    expect_choice(weakest_step, 'weakest_step', 'C', ['A', 'B', 'C'], 'the letter of the weakest step, in quotes ("A", "B" or "C")', feedback={'A': 'the binding is measured (Hirota 1999); the question is how much of it happens in the body', 'B': 'the screens show the receptors can be activated; the question is whether clinical concentrations get there'})

@test_case(points=None, hidden=False)
def test_verdict(opioid_claim_verdict):
    from widgets.exercises import expect_choice
    from widgets.models.claims import load_claims, verdict_rubric
    course = load_claims().set_index('id').loc['C-mech-001-opioid-receptors', 'verdict']
    expect_choice(opioid_claim_verdict, 'opioid_claim_verdict', course, list(verdict_rubric()), 'one of the four verdicts, in quotes', feedback={'supported': 'that needs evidence that the opioid receptors carry part of the pain relief, and no study shows it', 'unsupported': 'part of the claim (binding, activation) does have good evidence behind it', 'contradicted': 'no good evidence shows the receptors play no part at all'})

