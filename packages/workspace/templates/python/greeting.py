"""A small module to start from."""


def greeting(name: str, excited: bool = False) -> str:
    """Return a greeting for name (or the world when name is blank)."""
    name = name.strip() or "world"
    return f"Hello, {name}!" if excited else f"Hello, {name}."


if __name__ == "__main__":
    import sys

    print(greeting(sys.argv[1] if len(sys.argv) > 1 else "world", excited=True))
