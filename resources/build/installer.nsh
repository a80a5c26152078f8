; The post network (issue 21): desks of a post connect to each other on TCP (config.network.port, 47710 by default)
; and find each other by mDNS (UDP 5353). Windows Firewall blocks inbound by default, so the installer allows both for
; Posko.exe only. Every profile, not only Private: a post's LAN is often an unknown Wi-Fi Windows files as Public, and
; what listens there speaks only mutual TLS 1.3 pinned to central's roster (anything else is refused and listed).
; The uninstaller (run on every update too, before the new install adds them again) removes the rules.
!macro customInstall
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="Posko post network"'
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="Posko post network (mDNS)"'
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="Posko post network" dir=in action=allow protocol=TCP program="$INSTDIR\${APP_EXECUTABLE_FILENAME}" profile=any'
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="Posko post network (mDNS)" dir=in action=allow protocol=UDP localport=5353 program="$INSTDIR\${APP_EXECUTABLE_FILENAME}" profile=any'
!macroend

!macro customUnInstall
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="Posko post network"'
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="Posko post network (mDNS)"'
!macroend
