// Excluded by this workspace's search.exclude: "Train Model on Workspace" must not read it.
export const notes = ['not', 'for', 'training'];
