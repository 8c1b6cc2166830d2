"""pymediainfo's wheel carries libmediainfo.so.0 beside its module, where it looks for it.
The contributed hook's patterns miss that name (and then warn that the library is
missing), so this hook, found first through the spec's hookspath, collects it."""

from PyInstaller.utils.hooks import collect_dynamic_libs, copy_metadata

binaries = collect_dynamic_libs("pymediainfo", search_patterns=["*.so", "*.so.*"])
if not binaries:
    raise SystemExit("pymediainfo carries no MediaInfo library: reinstall it from its wheel")
# pymediainfo reads its own version through importlib.metadata.
datas = copy_metadata("pymediainfo")
