// What jsdom lacks and the components use: scrolling an element into view (the transcript follows its end).
import { cleanup } from "@testing-library/react"
import { afterEach } from "vitest"

if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => {}
afterEach(() => cleanup())
