import { useServices, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { EmptyState } from "../../components/empty-state.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { SearchIcon, TrashIcon } from "../../components/icons.tsx"
import { ListCard, SkeletonRows } from "../../components/list-card.tsx"
import { PageHeader } from "../../components/page-header.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { useStore } from "../../lib/store.ts"
import { SearchBox } from "../projects/search-box.tsx"
import { useDebouncedSearch } from "../projects/use-debounced-search.ts"
import { TrashRow } from "./trash-row.tsx"

export function TrashScreen() {
  const { trash } = useServices()
  const t = useT()
  const list = useStore(trash.state)
  const [search, setSearch] = useDebouncedSearch(trash)

  return (
    <div className="flex flex-col gap-6" data-testid="trash-screen">
      <PageHeader title={t("trash.title")} subtitle={t("trash.subtitle")} />
      {list.items.length > 0 || list.query ? <SearchBox value={search} onChange={setSearch} /> : null}
      {list.error ? <ErrorNotice error={list.error} onRetry={() => void trash.load()} /> : null}
      {!list.loaded && !list.error ? <SkeletonRows count={2} /> : null}
      {list.loaded && list.items.length === 0 ? (
        list.query ? (
          <EmptyState
            icon={<SearchIcon className="size-5" />}
            title={t("projects.noMatch.title", { query: list.query })}
            body={t("projects.noMatch.body")}
            action={<Button onClick={() => setSearch("")}>{t("projects.clearSearch")}</Button>}
          />
        ) : (
          <EmptyState
            testId="trash-empty"
            icon={<TrashIcon className="size-5" />}
            title={t("trash.empty.title")}
            body={t("trash.empty.body")}
          />
        )
      ) : null}
      {list.items.length > 0 ? (
        <ListCard label={t("trash.title")} testId="trash-list">
          {list.items.map((project) => (
            <TrashRow key={project.id} project={project} />
          ))}
        </ListCard>
      ) : null}
      {list.nextCursor ? (
        <div className="flex justify-center">
          <Button onClick={() => void trash.loadMore()} disabled={list.status !== "idle"}>
            {list.status === "more" ? <Spinner /> : null}
            {t("projects.loadMore")}
          </Button>
        </div>
      ) : null}
    </div>
  )
}
