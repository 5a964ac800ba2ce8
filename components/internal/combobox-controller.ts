import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the combobox needs to know about, and do to, the list it drives. */
export interface ComboboxDelegate {
  /** How many options the listbox shows now (after filtering). */
  optionCount(): number;
  /** The index of the (first) selected option among them, or -1. */
  selectedIndex(): number;
  /** Select (or, in multiple mode, toggle) the option at `index`: a user change. */
  pick(index: number): void;
  /** Backspace in an empty filter: remove the last chip (multiple mode). */
  removeLast(): void;
  /** Whether one pick closes the popup (single mode) or keeps it open (multiple). */
  closesOnPick(): boolean;
  /** The user committed the filter text as typed (Enter on no option, Tab, leaving): `query` is it, or null if untouched. */
  commit(query: string | null): void;
}

const PAGE = 10;

/**
 * The WAI-ARIA combobox behaviour, once for every picker: open state, the
 * active option (what `aria-activedescendant` names) and the filter text, and
 * the keyboard. Focus never leaves the input; the active option moves instead.
 * Home and End are left to the text's caret, as for an APG editable combobox.
 * The host renders from `open`, `activeIndex` and `query`; every change
 * requests a host update. It closes and forgets the filter when the host leaves the page.
 */
export class ComboboxController implements ReactiveController {
  /** Whether the listbox popup is shown. */
  open = false;
  /** The active option among the shown ones, -1 for none. */
  activeIndex = -1;
  /** What the user typed to filter; `null` while they have not typed (the input shows the selection). */
  query: string | null = null;
  /** Set by typing: once the host has filtered, the first match becomes active. */
  #pendingFirst = false;

  readonly #host: ReactiveControllerHost;
  readonly #delegate: ComboboxDelegate;

  constructor(host: ReactiveControllerHost, delegate: ComboboxDelegate) {
    (this.#host = host).addController(this);
    this.#delegate = delegate;
  }

  hostDisconnected(): void {
    this.reset();
  }

  /** Opens the popup; the active option starts on the selection (or the first option). */
  show(active: 'selected' | 'first' | 'last' | 'keep' = 'keep'): void {
    const count = this.#delegate.optionCount();
    this.open = true;
    if (active === 'first') this.activeIndex = count ? 0 : -1;
    else if (active === 'last') this.activeIndex = count - 1;
    else if (active === 'selected') {
      const selected = this.#delegate.selectedIndex();
      this.activeIndex = selected >= 0 ? selected : count ? 0 : -1;
    }
    this.#host.requestUpdate();
  }

  hide(): void {
    if (!this.open && this.activeIndex === -1) return;
    this.open = false;
    this.activeIndex = -1;
    this.#host.requestUpdate();
  }

  /** Commits the text as typed (an emptied single picker goes back to none), then resets. */
  commit(): void {
    this.#delegate.commit(this.query);
    this.reset();
  }

  /** Closes and forgets the filter (focus left, or a selection was made in single mode). */
  reset(): void {
    this.query = null;
    this.hide();
    this.#host.requestUpdate();
  }

  /** Makes `index` the active option (clamped to the list); opens the popup. */
  moveTo(index: number): void {
    const count = this.#delegate.optionCount();
    this.open = true;
    this.activeIndex = count ? Math.min(Math.max(index, 0), count - 1) : -1;
    this.#host.requestUpdate();
  }

  /** The user typed: filter, open, and make the first match active so Enter takes it. */
  handleInput(text: string): void {
    this.query = text;
    this.open = true;
    this.#host.requestUpdate();
    // The option count depends on the new query, which the host applies when it updates.
    this.#pendingFirst = true;
  }

  /**
   * Called by the host once the filtered list is known (after `handleInput`);
   * `keep` is where the option that was active sits in the new list, if known.
   */
  listChanged(keep = -1): void {
    const count = this.#delegate.optionCount();
    if (keep >= 0) {
      this.#pendingFirst = false;
      this.activeIndex = keep;
    } else if (this.#pendingFirst) {
      this.#pendingFirst = false;
      this.activeIndex = count && this.query ? 0 : -1;
    } else if (this.activeIndex >= count) {
      this.activeIndex = count - 1;
    }
  }

  pick(index: number): void {
    if (index < 0 || index >= this.#delegate.optionCount()) return;
    this.#delegate.pick(index);
    if (this.#delegate.closesOnPick()) this.reset();
    else {
      // Multiple mode stays open; a filter has done its job, so the whole list comes back.
      this.activeIndex = index;
      this.query = null;
      this.#host.requestUpdate();
    }
  }

  toggle(): void {
    if (this.open) this.hide();
    else this.show('selected');
  }

  /** The keyboard of the combobox input. */
  handleKeydown(event: KeyboardEvent): void {
    if (event.isComposing) return;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        if (!this.open) this.show(event.altKey ? 'keep' : 'selected');
        else this.moveTo(this.activeIndex + 1);
        break;
      case 'ArrowUp':
        if (!this.open) this.show(event.altKey ? 'keep' : this.#delegate.selectedIndex() >= 0 ? 'selected' : 'last');
        else if (event.altKey) this.hide();
        else this.moveTo(this.activeIndex <= 0 ? 0 : this.activeIndex - 1);
        break;
      case 'PageDown':
        if (this.open) this.moveTo(this.activeIndex + PAGE);
        else handled = false;
        break;
      case 'PageUp':
        if (this.open) this.moveTo(this.activeIndex - PAGE);
        else handled = false;
        break;
      case 'Enter':
        if (this.open && this.activeIndex >= 0) this.pick(this.activeIndex);
        else if (this.query === '') this.commit();
        else handled = false;
        break;
      case 'Escape':
        if (this.open) this.hide();
        else if (this.query !== null) this.reset();
        else handled = false;
        break;
      case 'Tab':
        this.commit();
        handled = false;
        break;
      case 'Backspace':
        if (!this.query) this.#delegate.removeLast();
        handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      // Escape handled here must not also close a dialog around the picker.
      event.stopPropagation();
    }
  }
}
