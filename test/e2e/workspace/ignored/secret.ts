// Listed in .gitignore: "Train Model on Workspace" must not read this file.
export const secret = 'do not train on me';
