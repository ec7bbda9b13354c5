import { AppError } from "@xionimus/kit"
import { ExecBody, ExecStarted, ProjectParams, SandboxInfo } from "@xionimus/protocol"
import { runFileCommand, sandboxCwd, sandboxEnvironment } from "@xionimus/sandbox"
import { defineRoute, type Route } from "../define-route.ts"
import { startExecRun } from "../exec-runner.ts"
import { findLiveProject } from "../project-access.ts"
import type { RouteDeps } from "../route-deps.ts"

/** Running commands in a project's sandbox, and what that sandbox enforces. */
export function execRoutes({ services }: RouteDeps): Route[] {
  return [
    defineRoute({
      method: "POST",
      url: "/api/projects/:projectId/exec",
      summary: "Run a command in the project's sandbox",
      description:
        "Starts the command and answers 202 with the run's stream (exec_<projectId>_<runId>): subscribe to it for " +
        "exec.run.started, exec.output.appended and exec.run.finished events. With `wait: true` the answer " +
        "comes when the run ended (200) and carries the result and the output. `file` instead of `command` runs a " +
        "workspace file with the command its extension calls for (python3, node, sh, gcc, g++, java, go, rustc…).",
      tags: ["exec"],
      access: "project:write",
      params: ProjectParams,
      body: ExecBody,
      response: { 200: ExecStarted, 202: ExecStarted },
      async handler({ params, body, request, reply, principal }) {
        await findLiveProject(services.store, params.projectId)
        const subject = { userId: principal?.user.id, projectId: params.projectId }
        await services.quotas.assertSandbox(subject)
        // Refuse a bad request with 400 before anything runs or is logged.
        sandboxCwd(body.cwd)
        sandboxEnvironment(body.env)
        const command = body.command ?? commandForFile(body.file ?? "")
        const sandbox = await services.sandboxes.sandboxFor(params.projectId)
        const controller = new AbortController()
        const run = startExecRun({
          sandbox,
          bus: services.bus,
          projectId: params.projectId,
          body: { ...body, command },
          logger: request.log,
          keepOutput: body.wait,
          ...(body.wait ? { signal: controller.signal } : {}),
        })
        // CPU time counts towards the user's and team's daily sandbox quota.
        const recorded = run.done.then(
          ({ result }) =>
            services.quotas
              .recordSandbox({ ...subject, cpuMs: result.usage.cpuMs ?? 0 })
              .catch((error: unknown) => request.log.warn({ err: error }, "sandbox usage not recorded")),
          () => undefined, // a run that could not start used nothing (reported on its stream)
        )
        if (!body.wait) {
          run.done.catch(() => undefined) // reported on the run's stream as exec.run.failed
          reply.code(202)
          return { runId: run.runId, stream: run.stream }
        }
        // A client that hangs up on a waiting request ends the run it no longer waits for.
        reply.raw.once("close", () => {
          if (!reply.raw.writableFinished) controller.abort()
        })
        const finished = await run.done
        await recorded
        return { runId: run.runId, stream: run.stream, ...finished }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/projects/:projectId/sandbox",
      summary: "What the project's sandbox enforces, and the toolchains it can run",
      tags: ["exec"],
      access: "project:read",
      params: ProjectParams,
      response: { 200: SandboxInfo },
      async handler({ params }) {
        await findLiveProject(services.store, params.projectId)
        const provider = await services.sandboxes.provider()
        const runtimes = await services.sandboxes.runtimes(params.projectId)
        return { ...provider.capabilities, runtimes }
      },
    }),
  ]
}

/** The command that runs a workspace file, by its extension; SANDBOX_REQUEST_INVALID for an unknown one. */
function commandForFile(file: string): string | string[] {
  const command = runFileCommand(file)
  if (!command) {
    throw new AppError(
      "SANDBOX_REQUEST_INVALID",
      `There is no known way to run "${file}" by its extension. Give a command instead.`,
      { file },
    )
  }
  return "shell" in command ? command.shell : [...command.argv]
}
