"use client";

import { useState, type ComponentProps } from "react";
import type { MenuDocument } from "@/lib/menu/validate-menu";
import { ConditionalMenus } from "./conditional-menus";
import { MenuEditor } from "./menu-editor";

// The editor and the conditional menus under it share the menu being edited: a conditional menu
// is built in the same editor, checked by the same validator, then added for a tag.
export function MenuWorkspace({
  editor,
  conditional,
}: {
  editor: ComponentProps<typeof MenuEditor>;
  conditional: Omit<ComponentProps<typeof ConditionalMenus>, "editorDoc">;
}) {
  const [doc, setDoc] = useState<MenuDocument>(editor.initial);
  return (
    <>
      <MenuEditor {...editor} onChange={setDoc} />
      <ConditionalMenus {...conditional} editorDoc={doc} />
    </>
  );
}
