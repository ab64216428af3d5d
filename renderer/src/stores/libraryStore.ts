/** The model library: local files, catalog and downloads. */
import { create } from "zustand";
import type { DownloadInfo, LibraryState } from "../../../shared/rpc.js";
import { rpc } from "../transport/rpcClient";

interface LibraryStore {
  library: LibraryState | null;
  loading: boolean;
  error: string | null;
  refresh(): Promise<void>;
  updateDownload(download: DownloadInfo): void;
}

export const useLibrary = create<LibraryStore>()((set, get) => ({
  library: null,
  loading: false,
  error: null,
  async refresh() {
    set({ loading: true });
    try {
      set({ library: await rpc().call("library.list", {}), error: null });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      set({ loading: false });
    }
  },
  updateDownload(download) {
    const library = get().library;
    if (!library) return;
    const others = library.downloads.filter((d) => d.id !== download.id);
    set({ library: { ...library, downloads: [...others, download] } });
    if (download.state === "done") void get().refresh();
  },
}));
