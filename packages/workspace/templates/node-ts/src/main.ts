import { greeting } from "./greeting.ts"

console.log(greeting({ name: process.argv[2] ?? "world", excited: true }))
