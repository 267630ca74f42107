"""The alternatives a question sets against each other are the choice, not a need of its own."""
from assistant import criteria


def test_the_alternatives_are_no_criterion(advisor):
    options = advisor.warm_up().options
    asked = ("we pull our NLP models off the Hugging Face hub and fine-tune them. "
             "stay on TF/KerasNLP or move to pytorch?")
    clauses = criteria.split(asked, options)
    assert clauses and not any("stay" in c.lower() or "move" in c.lower() for c in clauses)
    answer = advisor.ask(asked)
    assert not any("stay on" in row["criterion"] for row in answer.criteria or [])


def test_needs_on_either_side_of_the_alternatives_stay_apart(advisor):
    options = advisor.warm_up().options
    clauses = criteria.split("for research use pytorch, or tensorflow for mobile deployment?",
                             options)
    assert any("research" in c and "mobile" not in c for c in clauses)
    assert any("mobile" in c and "research" not in c for c in clauses)
    # a need inside one clause keeps its words when the names are cut out
    kept = criteria.split("we need mobile deployment, does pytorch or tf have better "
                          "on-device support", options)
    assert any("on-device support" in c for c in kept)


def test_a_need_written_between_the_alternatives_is_kept(advisor):
    """Only a span that holds no need of its own is cut: "is pytorch better for mobile
    deployment vs tf" still asks about mobile deployment."""
    options = advisor.warm_up().options
    clauses = criteria.split("we want to fine-tune LLMs, and is pytorch better for mobile "
                             "deployment vs tf?", options)
    assert any("mobile deployment" in c for c in clauses), clauses
