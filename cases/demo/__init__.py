"""Demo and synthetic data: not the award's rules, so kept out of ``cases.domain``.

``loader.load_demo`` fills an empty portal with the reference editions, the real published
results and synthetic cases; ``synthetic.generate_synthetic_cases`` builds any number of
synthetic cases for benchmarks; ``synthetic_text`` writes their texts.
"""
