// Messages of the errors module, parameter parsing and the functions (funcs/, model/, protocol/).
export const CORE: Readonly<Record<string, string>> = {
};
