// The keyword box: a plain GET form to /places, so it works with JavaScript off.
import { QUERY_MAX_LENGTH } from "~/utils/places-query";

export function SearchBox({
  id = "search-q",
  defaultValue,
  large = false,
}: {
  id?: string;
  defaultValue?: string;
  large?: boolean;
}) {
  return (
    <form method="get" action="/places" role="search" className={large ? "search-box search-box--large" : "search-box"}>
      <label htmlFor={id} className="search-box__label">
        キーワード
      </label>
      <p id={`${id}-hint`} className="search-box__hint">
        例：サロン、子育て、体操、子ども食堂、地区の名前
      </p>
      <div className="search-box__row">
        <input
          id={id}
          name="q"
          type="search"
          defaultValue={defaultValue}
          maxLength={QUERY_MAX_LENGTH}
          placeholder="例：子育て"
          aria-describedby={`${id}-hint`}
          autoComplete="off"
          enterKeyHint="search"
        />
        <button type="submit" className="button button--primary">
          検索
        </button>
      </div>
    </form>
  );
}
