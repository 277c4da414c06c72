def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: minutes rather than seconds (the fresh-clone run of README command 1); "
        "part of every `invoke test` and CI run, `-m 'not slow'` leaves it out of a quick loop")
