import { useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { EmptyState } from "../../components/empty-state.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { BoxIcon, PlusIcon, SearchIcon } from "../../components/icons.tsx"
import { ListCard, SkeletonRows } from "../../components/list-card.tsx"
import { Modal } from "../../components/modal.tsx"
import { PageHeader } from "../../components/page-header.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { useStore } from "../../lib/store.ts"
import { CreateProjectForm } from "./create-project-form.tsx"
import { ProjectRow } from "./project-row.tsx"
import { SearchBox } from "./search-box.tsx"
import { useDebouncedSearch } from "./use-debounced-search.ts"

export function ProjectsScreen() {
  const { projects } = useServices()
  const t = useT()
  const list = useStore(projects.state)
  const [search, setSearch] = useDebouncedSearch(projects)
  const [creating, setCreating] = useState(false)
  const newButton = (testId: string) => (
    <Button variant="primary" onClick={() => setCreating(true)} data-testid={testId}>
      <PlusIcon />
      {t("projects.new")}
    </Button>
  )

  return (
    <div className="flex flex-col gap-6" data-testid="projects-screen">
      <PageHeader
        title={t("projects.title")}
        subtitle={t("projects.subtitle")}
        actions={newButton("new-project")}
      />
      <div className="flex items-center gap-3">
        <SearchBox value={search} onChange={setSearch} />
        {list.status === "loading" && list.loaded ? <Spinner label={t("common.loading")} /> : null}
      </div>
      {list.error ? <ErrorNotice error={list.error} onRetry={() => void projects.load()} /> : null}
      {!list.loaded && !list.error ? <SkeletonRows /> : null}
      {list.loaded && list.items.length === 0 ? (
        list.query ? (
          <EmptyState
            testId="projects-no-match"
            icon={<SearchIcon className="size-5" />}
            title={t("projects.noMatch.title", { query: list.query })}
            body={t("projects.noMatch.body")}
            action={
              <Button onClick={() => setSearch("")} variant="secondary">
                {t("projects.clearSearch")}
              </Button>
            }
          />
        ) : (
          <EmptyState
            testId="projects-empty"
            icon={<BoxIcon className="size-5" />}
            title={t("projects.empty.title")}
            body={t("projects.empty.body")}
            action={newButton("new-project-empty")}
          />
        )
      ) : null}
      {list.items.length > 0 ? (
        <ListCard label={t("projects.listLabel")} testId="project-list">
          {list.items.map((project) => (
            <ProjectRow key={project.id} project={project} />
          ))}
        </ListCard>
      ) : null}
      {list.nextCursor ? (
        <div className="flex justify-center">
          <Button
            onClick={() => void projects.loadMore()}
            disabled={list.status !== "idle"}
            data-testid="projects-load-more"
          >
            {list.status === "more" ? <Spinner /> : null}
            {t("projects.loadMore")}
          </Button>
        </div>
      ) : null}
      <Modal
        open={creating}
        title={t("create.title")}
        closeLabel={t("create.close")}
        onClose={() => setCreating(false)}
        testId="create-dialog"
      >
        <CreateProjectForm onCancel={() => setCreating(false)} />
      </Modal>
    </div>
  )
}
