import unittest

from greeting import greeting


class GreetingTest(unittest.TestCase):
    def test_greets_by_name(self) -> None:
        self.assertEqual(greeting("Ada"), "Hello, Ada.")

    def test_greets_the_world_when_the_name_is_blank(self) -> None:
        self.assertEqual(greeting("  ", excited=True), "Hello, world!")


if __name__ == "__main__":
    unittest.main()
