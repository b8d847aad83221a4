# Build qcdesk's Windows installer: the PyInstaller one-folder bundle, then an Inno Setup installer.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1 [-Python py] [-Iscc path\to\ISCC.exe]
#
# Outputs: dist\qcdesk\ (bundle, qcdesk.exe without a console window) and
#          dist\qcdesk-<version>-windows-x64-setup.exe
# Needs: Python 3.11+ (x64) and Inno Setup 6 (ISCC.exe; `choco install innosetup` installs it).
param(
    [string]$Python = "python",
    [string]$Iscc = ""
)
$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..")
Set-Location $Root

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$Py = Join-Path $Root ".venv\Scripts\python.exe"
if (-not (Test-Path $Py)) {
    Write-Host "[build] creating .venv"
    Invoke-Checked $Python @("-m", "venv", ".venv")
}

Write-Host "[build] installing qcdesk with its packaging tools"
Invoke-Checked $Py @("-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", "$Root[packaging]")
$Version = (& $Py -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()

Write-Host "[build] PyInstaller one-folder bundle -> dist\qcdesk"
Invoke-Checked $Py @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", "dist",
                     "--workpath", "build\pyinstaller", "packaging\qcdesk.spec")

Write-Host "[build] checking the bundle starts"
# qcdesk.exe has no console window; its exit code is the verdict (0: window and demo project opened),
# and its one line goes to the pipe when Windows hands it one.
$SmokeDir = Join-Path ([System.IO.Path]::GetTempPath()) ("qcdesk-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $SmokeDir | Out-Null
$psi = New-Object System.Diagnostics.ProcessStartInfo
$psi.FileName = (Resolve-Path "dist\qcdesk\qcdesk.exe").Path
$psi.Arguments = "--smoke-test --demo"
$psi.UseShellExecute = $false
$psi.RedirectStandardOutput = $true
$psi.EnvironmentVariables["QT_QPA_PLATFORM"] = "offscreen"
$psi.EnvironmentVariables["APPDATA"] = $SmokeDir  # the demo project is built in a throw-away folder
$smoke = [System.Diagnostics.Process]::Start($psi)
$output = $smoke.StandardOutput.ReadToEnd()
if (-not $smoke.WaitForExit(120000)) { $smoke.Kill(); throw "qcdesk.exe --smoke-test did not finish in 120 s" }
if ($output) { Write-Host $output.Trim() }
if ($smoke.ExitCode -ne 0) { throw "qcdesk.exe --smoke-test --demo exited with $($smoke.ExitCode)" }

if (-not $Iscc) {
    $found = Get-Command "ISCC.exe" -ErrorAction SilentlyContinue
    if ($found) { $Iscc = $found.Source }
    else {
        foreach ($dir in @("${env:ProgramFiles(x86)}\Inno Setup 6", "$env:ProgramFiles\Inno Setup 6",
                           "$env:LOCALAPPDATA\Programs\Inno Setup 6")) {
            if (Test-Path "$dir\ISCC.exe") { $Iscc = "$dir\ISCC.exe"; break }
        }
    }
}
if (-not $Iscc) { throw "Inno Setup 6 (ISCC.exe) was not found: install it (choco install innosetup) or pass -Iscc" }

Write-Host "[build] Inno Setup installer"
Invoke-Checked $Iscc @("/Q", "/DAppVersion=$Version", "/DSourceDir=$Root\dist\qcdesk", "/O$Root\dist",
                       "packaging\windows\qcdesk.iss")
Get-ChildItem "dist\*-setup.exe" | ForEach-Object { Write-Host "[build] built $($_.FullName)" }
